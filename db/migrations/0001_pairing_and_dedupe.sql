CREATE TABLE "pairing_exclusions" (
	"installation_id" uuid NOT NULL,
	"network_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"excluded_member_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pairing_exclusions_network_id_member_id_excluded_member_id_pk" PRIMARY KEY("network_id","member_id","excluded_member_id")
);
--> statement-breakpoint
CREATE TABLE "pairing_group_members" (
	"installation_id" uuid NOT NULL,
	"network_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"check_in" text,
	"check_in_at" timestamp with time zone,
	"note" text,
	"share_note" boolean DEFAULT false NOT NULL,
	"note_shared_at" timestamp with time zone,
	"left_at" timestamp with time zone,
	CONSTRAINT "pairing_group_members_group_id_member_id_pk" PRIMARY KEY("group_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "pairing_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"installation_id" uuid NOT NULL,
	"network_id" uuid NOT NULL,
	"round_id" uuid NOT NULL,
	"reason" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pairing_rounds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"installation_id" uuid NOT NULL,
	"network_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"trigger" text NOT NULL,
	"slot" text,
	"started_at" timestamp with time zone NOT NULL,
	"check_in_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"report" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "processed_events" DROP CONSTRAINT "processed_events_installation_id_event_key_pk";--> statement-breakpoint
ALTER TABLE "processed_events" ADD PRIMARY KEY ("event_key");--> statement-breakpoint
ALTER TABLE "pairing_exclusions" ADD CONSTRAINT "pairing_exclusions_installation_id_installations_id_fk" FOREIGN KEY ("installation_id") REFERENCES "public"."installations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_exclusions" ADD CONSTRAINT "pairing_exclusions_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_exclusions" ADD CONSTRAINT "pairing_exclusions_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_exclusions" ADD CONSTRAINT "pairing_exclusions_excluded_member_id_members_id_fk" FOREIGN KEY ("excluded_member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_group_members" ADD CONSTRAINT "pairing_group_members_installation_id_installations_id_fk" FOREIGN KEY ("installation_id") REFERENCES "public"."installations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_group_members" ADD CONSTRAINT "pairing_group_members_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_group_members" ADD CONSTRAINT "pairing_group_members_group_id_pairing_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."pairing_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_group_members" ADD CONSTRAINT "pairing_group_members_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_groups" ADD CONSTRAINT "pairing_groups_installation_id_installations_id_fk" FOREIGN KEY ("installation_id") REFERENCES "public"."installations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_groups" ADD CONSTRAINT "pairing_groups_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_groups" ADD CONSTRAINT "pairing_groups_round_id_pairing_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."pairing_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_rounds" ADD CONSTRAINT "pairing_rounds_installation_id_installations_id_fk" FOREIGN KEY ("installation_id") REFERENCES "public"."installations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_rounds" ADD CONSTRAINT "pairing_rounds_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pairing_group_members_network_member" ON "pairing_group_members" USING btree ("network_id","member_id");--> statement-breakpoint
CREATE INDEX "pairing_groups_round" ON "pairing_groups" USING btree ("round_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pairing_rounds_network_number" ON "pairing_rounds" USING btree ("network_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "pairing_rounds_network_slot" ON "pairing_rounds" USING btree ("network_id","slot");--> statement-breakpoint
CREATE INDEX "processed_events_received" ON "processed_events" USING btree ("created_at");