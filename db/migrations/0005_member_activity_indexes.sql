CREATE INDEX "poll_votes_member" ON "poll_votes" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "tips_network_author" ON "tips" USING btree ("network_id","author_id");