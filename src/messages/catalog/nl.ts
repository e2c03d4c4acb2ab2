/** Nederlandse teksten: kort en warm, zoals een collega het zou zeggen. */
import type { Catalog } from './en.js';

export const nl: Catalog = {
  // Algemeen
  'error.generic': 'Sorry, er ging bij ons iets mis. Probeer het zo nog eens.',
  'error.unknownCommand': (p) => `"${p.input}" ken ik niet. Typ \`/klik hulp\` om te zien wat ik kan.`,
  'error.empty': 'Typ `/klik hulp` om te zien wat ik kan.',
  'error.malformed': (p) => `Dat lukte niet helemaal. Zo werkt het: ${p.usage}`,
  'error.noNetwork': 'Dit kanaal heeft nog geen Klik-netwerk. Een coördinator start er een met `/klik start`.',
  'error.inChannelOnly': 'Doe dit in het kanaal van je netwerk.',
  'error.coordinatorOnly': 'Alleen een coördinator van dit netwerk kan dat doen.',
  'error.notYet': (p) => `\`${p.command}\` kan nog niet: dat komt binnenkort. Typ \`/klik hulp\` voor wat nu al werkt.`,
  'error.notInChannel.slack': 'Ik zit nog niet in dit kanaal. Nodig me uit met `/invite @Klik` en probeer het opnieuw.',
  'error.notInChannel.teams':
    'Ik kan dit kanaal nog niet zien. Voeg Klik toe aan het team (Apps → Klik → Toevoegen aan een team) en probeer het opnieuw.',
  'error.notInChannel.local': 'Klik zit nog niet in dit kanaal. Voeg het toe en probeer het opnieuw.',
  'error.expired': 'Deze knop werkt niet meer. Geef de opdracht opnieuw.',

  // Hulp
  'help.title': 'Klik houdt je leernetwerk levend',
  'help.intro':
    "Ik koppel collega's van verschillende organisaties voor een kennismaking, verzamel tips, prik samen een datum en herinner iedereen aan de afspraak.",
  'help.members': '*Voor iedereen*',
  'help.coordinators': '*Voor coördinatoren*',
  'help.footer': 'Engels mag ook: `/klik help`, `/klik pause 2w`.',
  'help.cmd.help': 'wat Klik doet en alle opdrachten',
  'help.cmd.profile': 'je profiel bekijken of aanpassen',
  'help.cmd.join': 'meedoen met de koppelrondes / stoppen',
  'help.cmd.pause': 'even pauze tot een datum (2 weken, 31-12-2026), daarna weer verder',
  'help.cmd.tip': 'een tip delen; #woorden worden labels',
  'help.cmd.tips': 'tips zoeken',
  'help.cmd.poll': 'een datum prikken: "Titel" en de data',
  'help.cmd.orgs': 'de organisaties in het netwerk',
  'help.cmd.myData': 'zien of wissen wat Klik over jou bewaart',
  'help.cmd.setup': 'een netwerk starten in dit kanaal',
  'help.cmd.settings': 'instellingen bekijken of wijzigen',
  'help.cmd.coordinator': 'een coördinator toevoegen of verwijderen',
  'help.cmd.orgAdd': 'een organisatie toevoegen',
  'help.cmd.pairNow': 'nu een koppelronde starten',
  'help.cmd.skip': 'de volgende ronde overslaan / alle berichten pauzeren tot een datum',
  'help.cmd.ask': 'het netwerk een vraag stellen; antwoorden worden tips',
  'help.cmd.stats': 'hoe gaat het met het netwerk: cijfers en een dashboard',
  'help.cmd.export': 'tips, leden en bijeenkomsten downloaden als CSV',

  // Gebruik
  'usage.settings': '`/klik instellingen <naam> <waarde>`, bijvoorbeeld `/klik instellingen cadence weekly`',
  'usage.coordinator': '`/klik coordinator toevoegen @naam` of `/klik coordinator verwijderen @naam`',
  'usage.org': '`/klik organisatie toevoegen <naam>` of `/klik organisaties`',
  'usage.pause': '`/klik pauze 2 weken` of `/klik pauze 31-12-2026`',
  'usage.pauseNetwork': '`/klik pauzeer netwerk 4-1-2027`',
  'usage.tip': '`/klik tip Begin klein, met één afdeling #start`',
  'usage.ask': '`/klik vraag "Wat maakt een netwerk sterk?"`',
  'usage.poll': '`/klik prikker "Bedrijfsbezoek" 2-3-2027 9-3-2027T14:00 16 maart`',
  'usage.help': '`/klik hulp`',

  // Start
  'setup.already': 'Dit kanaal heeft al een Klik-netwerk. Coördinatoren zien de instellingen met `/klik instellingen`.',
  'setup.preview.title': 'Klik starten in dit kanaal?',
  'setup.preview.body': (p) =>
    `Als je bevestigt, stelt Klik zich kort voor in dit kanaal en krijgen deze ${p.count} leden een welkomstbericht:`,
  'setup.preview.none':
    "Er zit nog niemand anders in dit kanaal. Nodig je collega's uit: zij krijgen een welkom zodra ze erbij komen.",
  'setup.preview.settings': (p) =>
    `Koppelen: ${p.cadence} op ${p.day} om ${p.time} (${p.timezone}). Dit pas je later aan met \`/klik instellingen\`.`,
  'setup.preview.purposeHint':
    'Tip: zet eerst het doel van het netwerk met `/klik instellingen purpose <waarom we samenkomen>`: dat staat in het welkom.',
  'setup.confirm': 'Start Klik',
  'setup.cancel': 'Annuleren',
  'setup.cancelled': 'Prima, er is niets verstuurd. Start met `/klik start` wanneer je zover bent.',
  'setup.started': (p) =>
    `Klik draait. De kennismaking komt in het kanaal en ${p.count} welkomstberichten gaan de deur uit.`,
  'setup.alreadyStarted': 'Klik was in dit kanaal al gestart.',
  'setup.announce.title': (p) => `Hallo ${p.name}! 👋`,
  'setup.announce.body': (p) =>
    `${p.coordinator} heeft Klik in dit kanaal gestart. Om de paar weken koppel ik je aan een collega van een andere organisatie voor een korte kennismaking. Ik verzamel ook jullie tips en help bij het plannen van bijeenkomsten.`,
  'setup.announce.purpose': (p) => `*Waarom we samenkomen:* ${p.purpose}`,
  'setup.announce.footer': 'Typ `/klik hulp` om te zien wat je kunt doen.',
  'setup.welcome.title': (p) => `Welkom bij ${p.name}!`,
  'setup.welcome.body': (p) =>
    `Hoi ${p.member}, fijn dat je erbij bent. Binnenkort word je gekoppeld aan iemand nieuws uit het netwerk. Komt het even niet uit? \`/klik pauze 2 weken\` of \`/klik stop\` mag ook.`,

  // Instellingen
  'settings.title': (p) => `Instellingen van ${p.name}`,
  'settings.upcoming': '*Volgende geplande berichten*',
  'settings.upcoming.none': 'Nog niets gepland.',
  'settings.changeHint':
    'Wijzig er een met `/klik instellingen <naam> <waarde>`, bijvoorbeeld `/klik instellingen day wo`.',
  'settings.updated': (p) => `Gelukt: *${p.key}* is nu *${p.value}*.`,
  'settings.unknownKey': (p) => `De instelling "${p.key}" bestaat niet. Kies uit: ${p.keys}.`,
  'settings.missingValue': (p) => `Welke waarde voor *${p.key}*? Mogelijk: ${p.allowed}.`,
  'settings.invalid': (p) => `"${p.value}" past niet bij *${p.key}*. Mogelijk: ${p.allowed}.`,
  'settings.edit': 'Instellingen wijzigen',
  'settings.form.title': 'Instellingen netwerk',
  'settings.form.save': 'Opslaan',
  'settings.form.cancel': 'Annuleren',
  'settings.form.intro': 'Wijzigingen gelden vanaf het volgende geplande bericht.',
  'settings.form.saved': (p) =>
    p.count === 0
      ? 'Er is niets veranderd.'
      : `Opgeslagen: ${p.count} ${p.count === 1 ? 'instelling' : 'instellingen'} gewijzigd.`,
  'settings.form.required': 'Vul dit even in.',
  'value.locale.nl': 'Nederlands',
  'value.locale.en': 'English',
  'settings.notYet': (p) => `\`instellingen ${p.key}\` kan nog niet: dat komt binnenkort.`,
  'settings.paused': (p) => `Gepauzeerd tot ${p.until}`,
  'settings.on': 'aan',
  'settings.off': 'uit',
  'settings.key.purpose': 'doel',
  'settings.key.locale': 'taal',
  'settings.key.timezone': 'tijdzone',
  'settings.key.cadence': 'koppelritme',
  'settings.key.day': 'dag',
  'settings.key.time': 'tijd',
  'settings.key.group-size': 'groepsgrootte',
  'settings.key.pool': 'wie doet mee',
  'settings.key.rhythm': 'bijeenkomst elke (weken)',
  'settings.key.digest': 'tipoverzicht',
  'settings.key.quiet-hours': 'berichten alleen tussen',
  'settings.key.post-new-tips': 'nieuwe tips in kanaal',
  'settings.key.share-notes': 'leerpunten delen',
  'settings.key.nudge': 'herinneringen',
  'settings.allowed.purpose': 'vrije tekst, hooguit 500 tekens',
  'settings.allowed.locale': 'nl, en',
  'settings.allowed.timezone': 'een tijdzone zoals Europe/Amsterdam',
  'settings.allowed.cadence': 'weekly (wekelijks), biweekly (tweewekelijks), monthly (maandelijks), off (uit)',
  'settings.allowed.day': 'ma, di, wo, do, vr (of mon … fri)',
  'settings.allowed.time': 'een tijd zoals 09:00',
  'settings.allowed.group-size': 'een getal van 2 tot en met 6',
  'settings.allowed.pool': 'channel (iedereen in het kanaal), opt-in (alleen wie meedoet)',
  'settings.allowed.rhythm': 'een aantal weken van 1 tot en met 26',
  'settings.allowed.digest': 'uit, ma, di, wo, do, vr',
  'settings.allowed.quiet-hours': 'een venster zoals 08:00-18:00',
  'settings.allowed.onoff': 'aan, uit',
  'settings.allowed.nudge': (p) => `nudge <soort> aan|uit, soort is een van: ${p.kinds}`,
  'value.cadence.weekly': 'elke week',
  'value.cadence.biweekly': 'om de week',
  'value.cadence.monthly': 'elke maand',
  'value.cadence.off': 'uit',
  'value.pool.channel': 'iedereen in het kanaal',
  'value.pool.opt-in': 'alleen wie meedoet',
  'job.pairing': 'Koppelronde',
  'job.check-in': 'Navraag ("hebben jullie elkaar gesproken?")',
  'job.digest': 'Tipoverzicht',
  'job.rhythm': 'Herinnering bijeenkomst',

  // Coördinatoren
  'coordinator.added': (p) => `${p.name} is nu coördinator van dit netwerk.`,
  'coordinator.alreadyAdded': (p) => `${p.name} is al coördinator.`,
  'coordinator.removed': (p) => `${p.name} is geen coördinator meer.`,
  'coordinator.notOne': (p) => `${p.name} is geen coördinator.`,
  'coordinator.lastOne':
    'Je bent de laatste coördinator. Wijs eerst een opvolger aan met `/klik coordinator toevoegen @naam` en stap dan op.',
  'coordinator.userUnknown':
    'Ik kan die persoon niet vinden. Noem ze met @, zoals `/klik coordinator toevoegen @Anna`.',
  'coordinator.bot': 'Een bot kan geen coördinator zijn.',

  // Organisaties
  'org.added': (p) => `*${p.name}* staat nu bij de organisaties van het netwerk.`,
  'org.exists': (p) => `*${p.name}* staat al op de lijst.`,
  'org.tooLong': 'De naam van een organisatie mag hooguit 100 tekens zijn.',
  'org.list.title': 'Organisaties in dit netwerk',
  'org.list.empty': 'Nog geen organisaties. Een coördinator voegt ze toe met `/klik organisatie toevoegen <naam>`.',

  // Meedoen
  'member.joined': 'Je doet mee: je wordt gekoppeld in de volgende rondes.',
  'member.alreadyJoined': 'Je doet al mee.',
  'member.left': 'Je doet niet meer mee met de koppelrondes. Terugkomen kan altijd met `/klik doe-mee`.',
  'member.paused': (p) => `Pauze tot ${p.until}. Dan ben je weer welkom, of eerder met \`/klik hervat\`.`,
  'member.resumed': 'Fijn dat je er weer bent: je doet mee in de volgende ronde.',
  'member.pastDate': 'Die datum is al voorbij. Kies een datum in de toekomst.',
  'member.tooFar': 'Je kunt hooguit een jaar pauzeren.',

  // Netwerkpauze
  'network.skipped': 'De volgende koppelronde wordt overgeslagen.',
  'network.paused': (p) => `Alle geplande berichten zijn gepauzeerd tot ${p.until}.`,
};
