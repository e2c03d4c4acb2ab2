/**
 * Bot Framework tokens for tests, made here: an RSA key of our own, OpenID metadata and JWKS served
 * on 127.0.0.1 (so the SDK validates against them, never the internet), RS256 tokens signed with it
 * (or with another key), and a fake outbound credentials factory that signs calls with a fixed token.
 */
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServiceClientCredentialsFactory } from 'botframework-connector';

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';
export const OUTBOUND_TOKEN = 'fake-outbound-token';

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export interface TestKey {
  kid: string;
  privateKey: KeyObject;
  jwk: Record<string, unknown>;
}

export function makeKey(kid: string): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  return { kid, privateKey, jwk: { kty: 'RSA', use: 'sig', kid, n: jwk.n, e: jwk.e, endorsements: ['msteams'] } };
}

export function signToken(key: TestKey, claims: Record<string, unknown>, kid = key.kid): string {
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const now = Math.floor(Date.now() / 1000);
  const payload = b64url(JSON.stringify({ iat: now - 10, nbf: now - 10, exp: now + 3600, ...claims }));
  const signer = createSign('RSA-SHA256');
  signer.update(`${header}.${payload}`);
  return `${header}.${payload}.${b64url(signer.sign(key.privateKey))}`;
}

/** A channel token as Teams sends it: Bot Framework issuer, our app id as audience, the serviceUrl claim. */
export function channelToken(
  key: TestKey,
  appId: string,
  serviceUrl: string,
  extra: Record<string, unknown> = {},
): string {
  return signToken(key, { iss: BOT_FRAMEWORK_ISSUER, aud: appId, serviceurl: serviceUrl, ...extra });
}

export class OpenIdServer {
  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
    readonly key: TestKey,
  ) {}

  get metadataUrl(): string {
    return `${this.baseUrl}/.well-known/openidconfiguration`;
  }

  static async start(key: TestKey = makeKey('klik-test-key')): Promise<OpenIdServer> {
    let base = '';
    const server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/.well-known/openidconfiguration') {
        res.end(JSON.stringify({ issuer: BOT_FRAMEWORK_ISSUER, jwks_uri: `${base}/keys` }));
      } else if (req.url === '/keys') {
        res.end(JSON.stringify({ keys: [key.jwk] }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return new OpenIdServer(server, base, key);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Outbound credentials without Azure AD: every Bot Connector call carries OUTBOUND_TOKEN. */
export class FakeCredentialsFactory extends ServiceClientCredentialsFactory {
  constructor(private readonly appId: string) {
    super();
  }
  async isValidAppId(appId: string): Promise<boolean> {
    return appId === this.appId;
  }
  async isAuthenticationDisabled(): Promise<boolean> {
    return false;
  }
  async createCredentials(): Promise<never> {
    return {
      signRequest: async (request: { headers: { set(name: string, value: string): void } }) => {
        request.headers.set('authorization', `Bearer ${OUTBOUND_TOKEN}`);
        return request;
      },
    } as never;
  }
}
