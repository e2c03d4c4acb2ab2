/**
 * The playground's demo: twelve people from four Dutch care organisations, three channels, and a
 * learning network set up through the real commands (so the demo shows what a coordinator does).
 */
import type { Reply } from '../../src/core/inputs.js';
import { SETUP_CONFIRM } from '../../src/core/networks/setup.js';
import type { Button, Message } from '../../src/messages/model.js';
import type { LocalAdapter } from './adapter.js';
import type { LocalWorkspace } from './workspace.js';

export const DEMO_ORGANISATIONS = ['Zorggroep Avoord', 'De Wever', 'Thebe', 'Amarant'] as const;

export const DEMO_CHANNELS = {
  network: 'C-leernetwerk-ouderenzorg',
  newNetwork: 'C-nieuw-netwerk',
  coffee: 'C-koffiehoek',
} as const;

/** The coordinator who sets the demo network up. */
export const DEMO_COORDINATOR = 'U-anna';

export const DEMO_PURPOSE =
  'Van elkaar leren hoe we goede ouderenzorg geven, met minder druk op de werkvloer: elkaar kennen, tips delen en bij elkaar op bezoek gaan.';

interface DemoPerson {
  id: string;
  displayName: string;
  organisation: (typeof DEMO_ORGANISATIONS)[number];
  locale: string;
  timezone: string;
}

const AMS = 'Europe/Amsterdam';

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  { id: 'U-anna', displayName: 'Anna de Vries', organisation: 'Zorggroep Avoord', locale: 'nl-NL', timezone: AMS },
  { id: 'U-henk', displayName: 'Henk Jansen', organisation: 'Zorggroep Avoord', locale: 'nl-NL', timezone: AMS },
  { id: 'U-marieke', displayName: 'Marieke de Boer', organisation: 'Zorggroep Avoord', locale: 'nl-NL', timezone: AMS },
  { id: 'U-fatima', displayName: 'Fatima el Amrani', organisation: 'De Wever', locale: 'nl-NL', timezone: AMS },
  { id: 'U-joost', displayName: 'Joost Bakker', organisation: 'De Wever', locale: 'nl-NL', timezone: AMS },
  { id: 'U-ruud', displayName: 'Ruud Smit', organisation: 'De Wever', locale: 'nl-NL', timezone: AMS },
  { id: 'U-sanne', displayName: 'Sanne Visser', organisation: 'Thebe', locale: 'nl-NL', timezone: AMS },
  { id: 'U-mohammed', displayName: 'Mohammed Yilmaz', organisation: 'Thebe', locale: 'nl-NL', timezone: AMS },
  { id: 'U-lotte', displayName: 'Lotte Peters', organisation: 'Thebe', locale: 'nl-NL', timezone: AMS },
  { id: 'U-ilse', displayName: 'Ilse Mulder', organisation: 'Amarant', locale: 'nl-NL', timezone: AMS },
  { id: 'U-kees', displayName: 'Kees van Dijk', organisation: 'Amarant', locale: 'nl-NL', timezone: AMS },
  { id: 'U-priya', displayName: 'Priya Ramdin', organisation: 'Amarant', locale: 'en-GB', timezone: 'Europe/London' },
];

/** Fills an empty workspace with the demo people and channels. Calling it twice does nothing more. */
export function seedDemo(workspace: LocalWorkspace): void {
  if (workspace.getConversation(DEMO_CHANNELS.network)) return;
  for (const p of DEMO_PEOPLE) {
    workspace.addUser({
      id: p.id,
      displayName: p.displayName,
      organisation: p.organisation,
      locale: p.locale,
      timezone: p.timezone,
    });
  }
  const everyone = DEMO_PEOPLE.map((p) => p.id);
  workspace.addChannel({
    id: DEMO_CHANNELS.network,
    name: 'leernetwerk-ouderenzorg',
    memberIds: everyone,
    botInChannel: true,
  });
  workspace.addChannel({
    id: DEMO_CHANNELS.newNetwork,
    name: 'nieuw-netwerk',
    memberIds: ['U-anna', 'U-henk', 'U-fatima', 'U-sanne', 'U-ilse', 'U-priya'],
    botInChannel: true,
  });
  workspace.addChannel({
    id: DEMO_CHANNELS.coffee,
    name: 'koffiehoek',
    memberIds: ['U-anna', 'U-joost', 'U-mohammed', 'U-kees', 'U-lotte'],
    botInChannel: false,
  });
}

function buttons(message: Message): Button[] {
  const out: Button[] = [];
  for (const block of message.blocks) {
    if (block.type === 'actions') for (const e of block.elements) if (e.type === 'button') out.push(e);
    if (block.type === 'section' && block.accessory?.type === 'button') out.push(block.accessory);
  }
  return out;
}

/** The setup preview's confirm button, when the reply is a preview. */
function confirmButton(reply: Reply): Button | undefined {
  return reply.kind === 'message' ? buttons(reply.message).find((b) => b.actionId === SETUP_CONFIRM) : undefined;
}

export class DemoSetupError extends Error {
  constructor(step: string) {
    super(`demo setup failed at: ${step}`);
    this.name = 'DemoSetupError';
  }
}

/**
 * Sets up the demo network through the real flow, as its coordinator: `/klik setup` in
 * #leernetwerk-ouderenzorg, the purpose, a click on the preview's confirm button, and the four
 * organisations. Only when the channel has no active network yet: the database survives restarts,
 * the in-memory workspace does not. (A network left pending by an earlier crash is confirmed.)
 * The purpose is set before confirming so the announcement and the welcomes carry it.
 * Resolves to true when it set the network up, false when one was already running.
 */
export async function setupDemoNetwork(adapter: LocalAdapter): Promise<boolean> {
  const channel = DEMO_CHANNELS.network;
  const coordinator = DEMO_COORDINATOR;
  const preview = await adapter.command(coordinator, channel, '/klik setup');
  const confirm = confirmButton(preview);
  // No preview: the channel already has a running network (or setup cannot run there).
  if (!confirm) return false;

  const purpose = await adapter.command(coordinator, channel, `/klik settings purpose ${DEMO_PURPOSE}`);
  if (purpose.kind !== 'message') throw new DemoSetupError('settings purpose');

  const previewMessage = adapter.workspace
    .listEphemerals(coordinator, channel)
    .reverse()
    .find((m) => buttons(m.message).some((b) => b.actionId === SETUP_CONFIRM && b.value === confirm.value));
  if (!previewMessage) throw new DemoSetupError('preview not shown');
  const started = await adapter.click(coordinator, previewMessage.id, confirm.actionId, confirm.value);
  if (started.kind !== 'update') throw new DemoSetupError('confirm');

  for (const org of DEMO_ORGANISATIONS) {
    const added = await adapter.command(coordinator, channel, `/klik org add ${org}`);
    if (added.kind !== 'message') throw new DemoSetupError(`org add ${org}`);
  }
  // Everyone fills in the profile form, so intros show organisations, roles and topics.
  for (const person of DEMO_PEOPLE) {
    const opened = await adapter.command(person.id, channel, '/klik profiel');
    if (opened.kind !== 'form') throw new DemoSetupError(`profile ${person.id}`);
    const nickname = opened.form.fields.find((f) => f.id === 'nickname');
    const profile = DEMO_PROFILES[person.id] ?? { role: '', canShare: '', wantsToLearn: '' };
    await adapter.submit(person.id, opened.form.formId, opened.form.state, {
      newOrganisation: person.organisation,
      ...profile,
      nickname: nickname?.type === 'text' ? (nickname.initial ?? '') : '',
    });
  }
  return true;
}

/** What the demo people do and share: enough for intros that explain why two people were matched. */
const DEMO_PROFILES: Record<string, { role: string; canShare: string; wantsToLearn: string }> = {
  'U-anna': { role: 'netwerkcoördinator', canShare: 'netwerken opzetten, intervisie', wantsToLearn: 'dementiezorg' },
  'U-henk': { role: 'wijkverpleegkundige', canShare: 'valpreventie', wantsToLearn: 'mantelzorgondersteuning' },
  'U-marieke': { role: 'teamleider', canShare: 'roosters, zelforganisatie', wantsToLearn: 'valpreventie' },
  'U-fatima': { role: 'verzorgende IG', canShare: 'dementiezorg', wantsToLearn: 'zelforganisatie' },
  'U-joost': { role: 'fysiotherapeut', canShare: 'bewegen met ouderen, valpreventie', wantsToLearn: 'e-health' },
  'U-ruud': { role: 'activiteitenbegeleider', canShare: 'zingeving, muziek', wantsToLearn: 'dementiezorg' },
  'U-sanne': { role: 'specialist ouderengeneeskunde', canShare: 'medicatiereview', wantsToLearn: 'intervisie' },
  'U-mohammed': { role: 'zorgtechnoloog', canShare: 'e-health, domotica', wantsToLearn: 'bewegen met ouderen' },
  'U-lotte': { role: 'praktijkopleider', canShare: 'leerwerkplekken, intervisie', wantsToLearn: 'roosters' },
  'U-ilse': { role: 'mantelzorgconsulent', canShare: 'mantelzorgondersteuning', wantsToLearn: 'medicatiereview' },
  'U-kees': { role: 'kwaliteitsadviseur', canShare: 'kwaliteitskaders', wantsToLearn: 'zingeving' },
  'U-priya': { role: 'nurse practitioner', canShare: 'palliative care', wantsToLearn: 'e-health' },
};
