/** The private, single-use download link of `my-data`: signed by the process, served by HTTP. */
import type { Locale } from '../types.js';

/** Download links are valid this long. */
export const MY_DATA_VALID_MS = 15 * 60_000;

export interface MyDataGrant {
  installationId: string;
  memberId: string;
  locale: Locale;
  expiresAt: Date;
}

/** Makes signed, single-use links; absent when the process serves no HTTP downloads. */
export interface MyDataLinks {
  link(grant: MyDataGrant): string;
}
