/** English texts. The shape of this object is the catalog type: nl.ts must have every key. */

export const en = {
  // General
  'error.generic': 'Sorry, something went wrong on our side. Please try again in a moment.',
  'error.unknownCommand': (p: { input: string }) =>
    `I don't know "${p.input}". Type \`/klik help\` to see what I can do.`,
  'error.empty': 'Type `/klik help` to see what I can do.',
  'error.malformed': (p: { usage: string }) => `That did not quite work. Use it like this: ${p.usage}`,
  'error.noNetwork': 'There is no Klik network in this channel yet. A coordinator starts one with `/klik setup`.',
  'error.inChannelOnly': 'Please run this in the channel of your network.',
  'error.coordinatorOnly': 'Only a coordinator of this network can do that.',
  'error.notYet': (p: { command: string }) =>
    `\`${p.command}\` is not available yet: it is coming soon. Type \`/klik help\` for what works today.`,
  'error.notInChannel.slack': 'I am not in this channel yet. Invite me with `/invite @Klik`, then try again.',
  'error.notInChannel.teams':
    'I cannot see this channel yet. Add Klik to the team (Apps → Klik → Add to a team), then try again.',
  'error.notInChannel.local': 'Klik is not in this channel yet. Add it to the channel, then try again.',
  'error.expired': 'This button no longer works. Run the command again.',

  // Help
  'help.title': 'Klik keeps your learning network alive',
  'help.intro':
    'I pair colleagues from different organisations for a "meet someone new" chat, collect tips, plan meetings with a date poll, and remind everyone of the date.',
  'help.members': '*For everyone*',
  'help.coordinators': '*For coordinators*',
  'help.footer': 'Dutch works too: `/klik hulp`, `/klik tip`, `/klik pauze 2 weken`.',
  'help.cmd.help': 'what Klik does and its commands',
  'help.cmd.profile': 'show or edit your profile',
  'help.cmd.join': 'take part in pairing rounds / stop taking part',
  'help.cmd.pause': 'pause pairing until a date (2w, 2 weeks, 31-12-2026), then resume',
  'help.cmd.tip': 'share a tip; #words become tags',
  'help.cmd.tips': 'find tips',
  'help.cmd.poll': 'plan a date: "Title" and the dates',
  'help.cmd.orgs': "the network's organisations",
  'help.cmd.myData': 'see or erase everything Klik keeps about you',
  'help.cmd.setup': 'start a network in this channel',
  'help.cmd.settings': 'show or change the settings',
  'help.cmd.coordinator': 'add or remove a coordinator',
  'help.cmd.orgAdd': 'add an organisation',
  'help.cmd.pairNow': 'run a pairing round now',
  'help.cmd.skip': 'skip the next round / pause all messages until a date',
  'help.cmd.ask': 'ask the network a question; answers become tips',
  'help.cmd.stats': 'network health, figures and a dashboard',
  'help.cmd.export': 'download tips, members and meetings as CSV',

  // Usage lines
  'usage.settings': '`/klik settings <key> <value>`, e.g. `/klik settings cadence weekly`',
  'usage.coordinator': '`/klik coordinator add @name` or `/klik coordinator remove @name`',
  'usage.org': '`/klik org add <name>` or `/klik org list`',
  'usage.pause': '`/klik pause 2w`, `/klik pause 2 weeks` or `/klik pause 31-12-2026`',
  'usage.pauseNetwork': '`/klik pause network 2027-01-04`',
  'usage.tip': '`/klik tip Start small, with one ward #start`',
  'usage.ask': '`/klik ask "What makes a network work?"`',
  'usage.poll': '`/klik poll "Company visit" 2027-03-02 9-3-2027T14:00 16 march`',
  'usage.help': '`/klik help`',

  // Setup
  'setup.already': 'This channel already has a Klik network. Coordinators see the settings with `/klik settings`.',
  'setup.preview.title': 'Start Klik in this channel?',
  'setup.preview.body': (p: { count: number }) =>
    `When you confirm, Klik posts a short introduction in this channel and sends a welcome message to these ${p.count} members:`,
  'setup.preview.none':
    'There is nobody in this channel besides you yet: invite your colleagues, they will be welcomed when they join.',
  'setup.preview.settings': (p: { cadence: string; day: string; time: string; timezone: string }) =>
    `Pairing: ${p.cadence} on ${p.day} at ${p.time} (${p.timezone}). You can change this later with \`/klik settings\`.`,
  'setup.preview.purposeHint':
    "Tip: set the network's purpose first with `/klik settings purpose <why we meet>`: it is shown in the welcome.",
  'setup.confirm': 'Start Klik',
  'setup.cancel': 'Cancel',
  'setup.cancelled': 'Alright, nothing was sent. Run `/klik setup` whenever you are ready.',
  'setup.started': (p: { count: number }) =>
    `Klik is running. The introduction is on its way to the channel and ${p.count} welcome messages are being sent.`,
  'setup.alreadyStarted': 'Klik was already started in this channel.',
  'setup.announce.title': (p: { name: string }) => `Hello ${p.name}! 👋`,
  'setup.announce.body': (p: { coordinator: string }) =>
    `${p.coordinator} started Klik in this channel. Every few weeks I pair you with a colleague from another organisation for a short "meet someone new" chat. I also collect your tips and help plan meetings.`,
  'setup.announce.purpose': (p: { purpose: string }) => `*Why we meet:* ${p.purpose}`,
  'setup.announce.footer': 'Type `/klik help` to see what you can do.',
  'setup.welcome.title': (p: { name: string }) => `Welcome to ${p.name}!`,
  'setup.welcome.body': (p: { member: string }) =>
    `Hi ${p.member}, nice to have you. Soon you will be paired with someone new from the network. Not now? \`/klik pause 2 weeks\` or \`/klik leave\` is fine too.`,

  'welcome.channel': (p: { member: string }) =>
    `Welcome to the network, ${p.member}! 👋 Soon you will be paired with someone new.`,
  // Settings
  'settings.title': (p: { name: string }) => `Settings of ${p.name}`,
  'settings.upcoming': '*Next scheduled messages*',
  'settings.upcoming.none': 'Nothing scheduled yet.',
  'settings.changeHint': 'Change one with `/klik settings <key> <value>`, e.g. `/klik settings day wed`.',
  'settings.updated': (p: { key: string; value: string }) => `Done: *${p.key}* is now *${p.value}*.`,
  'settings.unknownKey': (p: { key: string; keys: string }) =>
    `There is no setting "${p.key}". Choose from: ${p.keys}.`,
  'settings.missingValue': (p: { key: string; allowed: string }) =>
    `Which value for *${p.key}*? Allowed: ${p.allowed}.`,
  'settings.invalid': (p: { key: string; value: string; allowed: string }) =>
    `"${p.value}" is not a valid value for *${p.key}*. Allowed: ${p.allowed}.`,
  'settings.edit': 'Change settings',
  'settings.form.title': 'Network settings',
  'settings.form.save': 'Save',
  'settings.form.cancel': 'Cancel',
  'settings.form.intro': 'Changes apply from the next scheduled message.',
  'settings.form.saved': (p: { count: number }) =>
    p.count === 0 ? 'Nothing changed.' : `Saved: ${p.count} ${p.count === 1 ? 'setting' : 'settings'} changed.`,
  'settings.form.required': 'Please fill this in.',
  'value.locale.nl': 'Nederlands',
  'value.locale.en': 'English',
  'settings.notYet': (p: { key: string }) => `\`settings ${p.key}\` is not available yet: it is coming soon.`,
  'settings.paused': (p: { until: string }) => `Paused until ${p.until}`,
  'settings.on': 'on',
  'settings.off': 'off',
  'settings.key.purpose': 'purpose',
  'settings.key.locale': 'language',
  'settings.key.timezone': 'time zone',
  'settings.key.cadence': 'pairing cadence',
  'settings.key.day': 'day',
  'settings.key.time': 'time',
  'settings.key.group-size': 'group size',
  'settings.key.pool': 'pairing pool',
  'settings.key.rhythm': 'meeting rhythm (weeks)',
  'settings.key.digest': 'tip digest',
  'settings.key.quiet-hours': 'messages only between',
  'settings.key.post-new-tips': 'post new tips in channel',
  'settings.key.share-notes': 'share learning notes',
  'settings.key.nudge': 'nudges',
  'settings.allowed.purpose': 'any text up to 500 characters',
  'settings.allowed.locale': 'nl, en',
  'settings.allowed.timezone': 'an IANA time zone such as Europe/Amsterdam',
  'settings.allowed.cadence': 'weekly, biweekly, monthly, off',
  'settings.allowed.day': 'mon, tue, wed, thu, fri',
  'settings.allowed.time': 'a time like 09:00',
  'settings.allowed.group-size': 'a number from 2 to 6',
  'settings.allowed.pool': 'channel, opt-in',
  'settings.allowed.rhythm': 'a number of weeks from 1 to 26',
  'settings.allowed.digest': 'off, mon, tue, wed, thu, fri',
  'settings.allowed.quiet-hours': 'a window like 08:00-18:00',
  'settings.allowed.onoff': 'on, off',
  'settings.allowed.nudge': (p: { kinds: string }) => `nudge <kind> on|off, kind one of: ${p.kinds}`,
  'value.cadence.weekly': 'weekly',
  'value.cadence.biweekly': 'every two weeks',
  'value.cadence.monthly': 'monthly',
  'value.cadence.off': 'off',
  'value.pool.channel': 'everyone in the channel',
  'value.pool.opt-in': 'only who joins',
  'job.pairing': 'Pairing round',
  'job.check-in': 'Check-in ("did you meet?")',
  'job.digest': 'Tip digest',
  'job.rhythm': 'Meeting nudge',

  // Coordinators
  'coordinator.added': (p: { name: string }) => `${p.name} is now a coordinator of this network.`,
  'coordinator.alreadyAdded': (p: { name: string }) => `${p.name} is already a coordinator.`,
  'coordinator.removed': (p: { name: string }) => `${p.name} is no longer a coordinator.`,
  'coordinator.notOne': (p: { name: string }) => `${p.name} is not a coordinator.`,
  'coordinator.lastOne':
    'You are the last coordinator. Add a successor first with `/klik coordinator add @name`, then step down.',
  'coordinator.userUnknown': 'I cannot find that person. Mention them with @, like `/klik coordinator add @Anna`.',
  'coordinator.bot': 'A bot cannot be a coordinator.',

  // Organisations
  'org.added': (p: { name: string }) => `Added *${p.name}* to the network's organisations.`,
  'org.exists': (p: { name: string }) => `*${p.name}* is already on the list.`,
  'org.tooLong': "An organisation's name can be at most 100 characters.",
  'org.list.title': 'Organisations in this network',
  'org.list.empty': 'No organisations yet. A coordinator adds them with `/klik org add <name>`.',

  // Membership
  'member.joined': 'You are in: you will be paired in the next rounds.',
  'member.alreadyJoined': 'You are already taking part.',
  'member.left': 'You no longer take part in pairing rounds. Come back any time with `/klik join`.',
  'member.paused': (p: { until: string }) =>
    `Paused until ${p.until}. Welcome back then, or earlier with \`/klik resume\`.`,
  'member.resumed': 'Welcome back: you take part in the next round.',
  'member.pastDate': 'That date has already passed. Pick a date in the future.',
  'member.tooFar': 'You can pause for at most a year.',

  'channel.archived': (p: { name: string }) =>
    `${p.name} was archived, so I paused the network: nothing scheduled goes out. Unarchive the channel to carry on.`,
  'channel.deleted': (p: { name: string }) =>
    `${p.name} was deleted, so I paused the network. Start a new one with \`/klik setup\` in another channel.`,
  'channel.unarchived': (p: { name: string }) => `${p.name} is back: the network carries on as before.`,
  'avoid.added': (p: { name: string }) => `Noted: you will not be paired with ${p.name}. Nobody else sees this list.`,
  'avoid.already': (p: { name: string }) => `${p.name} is already on your list.`,
  'avoid.removed': (p: { name: string }) => `${p.name} is off your list again.`,
  'avoid.notOnList': (p: { name: string }) => `${p.name} was not on your list.`,
  'avoid.list': (p: { names: string }) => `You will not be paired with: ${p.names}. Only you see this.`,
  'avoid.empty': 'Your list is empty. Add someone with `/klik avoid @name`; nobody else sees it.',
  'avoid.self': 'That is you. 🙂',
  'usage.avoid': '`/klik avoid @name`, `/klik avoid remove @name` or `/klik avoid`',
  'help.cmd.avoid': 'privately: do not pair me with someone',
  // Network pause
  'network.skipped': 'The next pairing round will be skipped.',
  'network.paused': (p: { until: string }) => `All scheduled messages are paused until ${p.until}.`,
  // Profile
  'profile.form.title': 'Your profile',
  'profile.form.intro': 'Tell the network a bit about yourself: it helps Klik make good matches.',
  'profile.form.save': 'Save',
  'profile.form.cancel': 'Not now',
  'profile.field.organisation': 'Organisation',
  'profile.field.newOrganisation': 'Not in the list? Your organisation',
  'profile.field.role': 'Your role',
  'profile.field.canShare': 'What I can share',
  'profile.field.wantsToLearn': 'What I want to learn',
  'profile.field.nickname': 'Nickname',
  'profile.placeholder.role': 'e.g. district nurse',
  'profile.placeholder.canShare': 'e.g. fall prevention, rosters',
  'profile.placeholder.wantsToLearn': 'e.g. dementia care, informal carers',
  'profile.option.other': 'Other (type it below)',
  'profile.saved': 'Thanks, your profile is saved.',
  'profile.open': 'Fill in my profile',
  'profile.needNetwork': 'Run `/klik profile` in your network’s channel, or use the button in my welcome message.',
  'profile.tooLong': 'That is a bit long: at most 300 characters.',
  'profile.orgTooLong': "An organisation's name can be at most 100 characters.",

  // Pairing rounds
  'round.announce': (p: { number: number; groups: number; people: number }) =>
    `Round ${p.number} of "meet someone new": ${p.people} people in ${p.groups} groups. Check your messages!`,
  'round.notEnough': 'There are not enough people taking part for a round (at least two are needed).',
  'round.started': (p: { groups: number }) => `Done: ${p.groups} groups made. Everyone got an introduction.`,
  'round.repeats': (p: { count: number }) =>
    `${p.count} ${p.count === 1 ? 'pair has' : 'pairs have'} met before: with this roster it could not be avoided.`,
  'round.notes.title': '*What people learned about their new connection*',
  'intro.title': 'Meet someone new! 👋',
  'intro.lead': 'This round you are matched with each other:',
  'intro.nickname': (p: { nickname: string }) => `"${p.nickname}"`,
  'intro.canShare': (p: { topics: string }) => `can share: ${p.topics}`,
  'intro.why.crossOrganisation': "You work at different organisations: a good chance to look at each other's kitchen.",
  'intro.why.topics': (p: { topics: string }) => `One of you wants to learn what another can share: ${p.topics}.`,
  'intro.starter': (p: { starter: string }) => `*To get started:* ${p.starter}`,
  'intro.meet': "Tip: meet in person at one of your workplaces. Seeing each other's work builds the connection.",
  'intro.checkInLater': 'Halfway through the round I will ask how it went.',
  'checkin.question': (p: { names: string }) => `Did you meet ${p.names}?`,
  'checkin.yes': 'Yes, we met',
  'checkin.notYet': 'Not yet',
  'checkin.skipped': 'We skip this time',
  'checkin.thanks.yes': 'Great that you met! ✨',
  'checkin.thanks.notYet': 'No problem, there is still time. Just send them a message.',
  'checkin.thanks.skipped': 'Fine, thanks for letting me know. See you next round.',
  'checkin.notInGroup': 'This question was not for you.',
  'note.form.title': 'What did you learn?',
  'note.form.intro': 'What did you learn about your new connection? A sentence or two is plenty.',
  'note.field.note': 'What I learned',
  'note.field.share': 'May we share this in the channel?',
  'note.share.yes': 'Yes, share it (with my name)',
  'note.share.no': 'No, keep it to myself',
  'note.tooLong': 'That is a bit long: at most 1,000 characters.',
  'note.saved.shared': 'Thank you! It will be shared in the channel at the start of the next round.',
  'note.saved.private': 'Thank you! It stays with you.',
  'ghost.paused':
    'You did not answer the last three check-ins, so I paused your pairing. Want to take part again? Tap the button.',
  'ghost.resume': 'Take part again',
} as const;

type Widen<T> = T extends string ? string : T extends (p: infer P) => string ? (p: P) => string : never;
export type Catalog = { [K in keyof typeof en]: Widen<(typeof en)[K]> };
export type MessageKey = keyof Catalog;
