/** What tips need from the store. Every call is scoped by installation. */

export interface TipRecord {
  id: string;
  networkId: string;
  /** Null after the author asked to be forgotten. */
  authorId: string | null;
  questionId: string | null;
  text: string;
  tags: string[];
  upvotes: number;
  createdAt: Date;
}

export interface NewTip {
  installationId: string;
  networkId: string;
  authorId: string;
  questionId?: string | null;
  text: string;
  tags: string[];
  /** The PostgreSQL text search configuration: `dutch` or `english`. */
  searchConfig: 'dutch' | 'english';
  createdAt: Date;
}

export interface TipSearch {
  /** Words to search for (full text); empty for newest first. */
  words: string;
  /** Tags every tip found must carry. */
  tags: string[];
  searchConfig: 'dutch' | 'english';
  offset: number;
  limit: number;
}

export interface TipQuestion {
  id: string;
  networkId: string;
  text: string;
  createdAt: Date;
}

/** One row of the tips export. */
export interface TipExportRow {
  id: string;
  createdAt: Date;
  text: string;
  tags: string[];
  upvotes: number;
  question: string | null;
  /** Null after forget-me: "anonymous". */
  authorName: string | null;
}

export interface TipRepo {
  /** The export, a page at a time in creation order (keyset: after the last row of the page before). */
  exportPage(
    installationId: string,
    networkId: string,
    after: { createdAt: Date; id: string } | null,
    limit: number,
  ): Promise<TipExportRow[]>;

  createQuestion(input: {
    installationId: string;
    networkId: string;
    askedBy: string;
    text: string;
    createdAt: Date;
  }): Promise<TipQuestion>;
  getQuestion(installationId: string, questionId: string): Promise<TipQuestion | null>;
  /** How many tips answer the question. */
  answerCount(installationId: string, questionId: string): Promise<number>;

  create(input: NewTip): Promise<TipRecord>;
  get(installationId: string, tipId: string): Promise<TipRecord | null>;
  update(installationId: string, tipId: string, text: string, tags: string[], at: Date): Promise<TipRecord | null>;
  remove(installationId: string, tipId: string): Promise<boolean>;
  /** By relevance then upvotes when there are words; newest first otherwise (upvotes break ties). */
  search(installationId: string, networkId: string, query: TipSearch): Promise<TipRecord[]>;
  /** One vote per member per tip: false when the member had already voted. */
  upvote(installationId: string, tipId: string, memberId: string): Promise<boolean>;
  /** Tips created in [from, to), newest first. */
  createdBetween(installationId: string, networkId: string, from: Date, to: Date): Promise<TipRecord[]>;
  /** The most upvoted tips of the network (at least one vote). */
  mostUpvoted(installationId: string, networkId: string, limit: number): Promise<TipRecord[]>;
}
