ALTER TABLE "network_members" ADD COLUMN "opted_in" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "pairing_groups" ADD COLUMN "starter" text;