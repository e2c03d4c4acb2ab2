/**
 * Bot Framework authentication for Klik's Teams adapter, both ways, from the SDK:
 * - inbound: every activity's JWT is validated by the SDK (issuer, audience = our app id, signing
 *   key from the OpenID metadata, serviceUrl claim); any failure, including a key fetch that fails,
 *   becomes `null` (the route answers 401), never a 500;
 * - outbound: the SDK's credentials (MSAL client secret, or a factory passed in by tests).
 * With no app id (TEAMS_ENABLED=1, local only) the SDK disables authentication both ways.
 *
 * The Bot Connector clients the SDK builds retry 429 and 5xx by sleeping (up to 3 times): Klik's
 * outbox owns retries, so every connector client made here has its retry policies removed.
 */

import type { Activity } from 'botbuilder';
import { ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import {
  type AuthenticateRequestResult,
  AuthenticationConstants,
  BotFrameworkAuthentication,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorClient,
  ConnectorFactory,
  type ServiceClientCredentialsFactory,
  type UserTokenClient,
} from 'botframework-connector';
import type { TeamsConfig } from '../../src/config.js';

export interface TeamsAuthOptions {
  /** OpenID metadata for tokens from the channel (tests serve their own, with a local key). */
  openIdMetadataUrl?: string;
  /** Outbound credentials; default the SDK's own from MICROSOFT_APP_* (tests pass a fake). */
  credentialsFactory?: ServiceClientCredentialsFactory;
}

/** Removes the pipeline's retry phase (throttling and exponential retries) from a connector client. */
export function withoutRetries(client: ConnectorClient): ConnectorClient {
  const pipeline = (client as unknown as { client?: { pipeline?: { removePolicy(p: { phase: string }): unknown } } })
    .client?.pipeline;
  pipeline?.removePolicy({ phase: 'Retry' });
  return client;
}

class NoRetryConnectorFactory extends ConnectorFactory {
  constructor(private readonly inner: ConnectorFactory) {
    super();
  }
  async create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    return withoutRetries(await this.inner.create(serviceUrl, audience));
  }
}

/** Delegates to the SDK's authentication; only the connector clients it makes are changed. */
class KlikBotFrameworkAuthentication extends BotFrameworkAuthentication {
  constructor(private readonly inner: BotFrameworkAuthentication) {
    super();
  }
  async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await this.inner.authenticateRequest(activity, authHeader);
    return result.connectorFactory
      ? { ...result, connectorFactory: new NoRetryConnectorFactory(result.connectorFactory) }
      : result;
  }
  authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    return this.inner.authenticateStreamingRequest(authHeader, channelIdHeader);
  }
  createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return new NoRetryConnectorFactory(this.inner.createConnectorFactory(claimsIdentity));
  }
  createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.inner.createUserTokenClient(claimsIdentity);
  }
  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }
  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }
  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }
}

export function createTeamsAuthentication(
  config: TeamsConfig,
  options: TeamsAuthOptions = {},
): BotFrameworkAuthentication {
  const sdkConfig: Record<string, unknown> = {
    MicrosoftAppId: config.appId ?? '',
    MicrosoftAppPassword: config.appPassword ?? '',
    MicrosoftAppTenantId: config.tenantId ?? '',
    // Without an app id the SDK disables authentication; it accepts an empty id only as MultiTenant.
    MicrosoftAppType: config.appId ? config.appType : 'MultiTenant',
  };
  if (options.openIdMetadataUrl) {
    // Setting one channel parameter makes the SDK take all of them from here: the public cloud's.
    Object.assign(sdkConfig, {
      ValidateAuthority: true,
      ToChannelFromBotLoginUrl: `${AuthenticationConstants.ToChannelFromBotLoginUrlPrefix}${config.tenantId || AuthenticationConstants.DefaultChannelAuthTenant}`,
      ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
      ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
      OAuthUrl: AuthenticationConstants.OAuthUrl,
      ToBotFromChannelOpenIdMetadataUrl: options.openIdMetadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: options.openIdMetadataUrl,
      CallerId: 'urn:botframework:azure',
    });
  }
  const credentials =
    options.credentialsFactory ??
    new ConfigurationServiceClientCredentialFactory(
      sdkConfig as ConstructorParameters<typeof ConfigurationServiceClientCredentialFactory>[0],
    );
  const inner = new ConfigurationBotFrameworkAuthentication(
    sdkConfig as ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[0],
    credentials,
  );
  return new KlikBotFrameworkAuthentication(inner);
}

/** The SDK's validation of an inbound activity; any failure at all → null (answer 401). */
export async function authenticateActivity(
  auth: BotFrameworkAuthentication,
  activity: Activity,
  authHeader: string,
): Promise<AuthenticateRequestResult | null> {
  try {
    return await auth.authenticateRequest(activity, authHeader);
  } catch {
    return null;
  }
}
