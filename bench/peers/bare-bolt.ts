/**
 * The peer for the ack bench: the smallest Bolt app a team would write for a `/klik` command and
 * one button, as Bolt's getting-started guide does it (the default HTTP receiver, ack first, then
 * answer through the response_url). No database. Environment: PORT, SLACK_SIGNING_SECRET,
 * SLACK_BOT_TOKEN, SLACK_API_URL. GET /healthz answers once it listens.
 */
import { App, LogLevel } from '@slack/bolt';

const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
  logLevel: LogLevel.ERROR,
  ...(process.env.SLACK_API_URL ? { clientOptions: { slackApiUrl: process.env.SLACK_API_URL } } : {}),
  customRoutes: [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => {
        res.writeHead(200);
        res.end('ok');
      },
    },
  ],
});

app.command('/klik', async ({ ack, respond }) => {
  await ack();
  await respond({ response_type: 'ephemeral', text: 'Klik helps your network meet. Try /klik tip.' });
});

app.action(/.*/, async ({ ack, respond }) => {
  await ack();
  await respond({ response_type: 'ephemeral', replace_original: false, text: 'Thanks, counted.' });
});

await app.start(Number(process.env.PORT ?? 3000));

const stop = () => {
  app.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
