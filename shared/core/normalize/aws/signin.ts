import type { AuthStrength, MfaInfo, Outcome } from '../../model/audit-event.js';
import { cap, type FieldReader, isObject, type JsonObject } from '../fields.js';

/**
 * What CloudTrail's sign-in events mean: which ones are authentications, how each states its outcome
 * and what it proves about a second factor. Everything here is a table keyed by `eventSource` and
 * `eventName`; an event missing from the tables is an API call.
 */

export const SIGNIN_SOURCE = 'signin.amazonaws.com';
const STS_SOURCE = 'sts.amazonaws.com';
const SSO_SOURCE = 'sso.amazonaws.com';

/** Identity types whose MFA AWS itself enforces, so `MFAUsed: "No"` proves no second factor. */
const AWS_DECIDES_MFA: ReadonlySet<string> = new Set(['Root', 'IAMUser']);

/** Reads the MFA verdict of one authentication event; undefined for intermediate steps. */
export type MfaReader = (record: JsonObject, identity: JsonObject, reader: FieldReader) => MfaInfo | undefined;

/** The console sign-in: `additionalEventData.MFAUsed` is "Yes", "YES" or "No" depending on the writer. */
const consoleLoginMfa: MfaReader = (record, identity, reader) => {
  const data = reader.optObject(record, 'additionalEventData');
  const methods = presentStrings(data, ['MfaType', 'MFAIdentifier']);
  const said = ownString(data, 'MFAUsed')?.toLowerCase();
  if (said === 'yes') return withStrength({ used: true, methods }, deviceStrength(ownString(data, 'MFAIdentifier')));
  const federated = ownString(data, 'SamlProviderArn') !== undefined || !AWS_DECIDES_MFA.has(identityType(identity));
  if (!federated)
    return said === 'no' ? { used: false, methods, strength: 'single-factor' } : { used: undefined, methods };
  // Federated console sign-ins (SAML, Identity Center roles) always say "No": the IdP did or did not
  // ask for a second factor, and the record cannot tell. Only an MFA-backed session proves one.
  return { used: sessionMfa(identity) === true ? true : undefined, methods };
};

/**
 * Identity Center `UserAuthentication`, the only event of the flow that carries the final answer:
 * `CredentialType` lists every factor solved ("PASSWORD", "PASSWORD,TOTP", "WEBAUTHN", "EXTERNAL_IDP").
 */
const identityCenterMfa: MfaReader = (record, _identity, reader) => {
  const data = reader.optObject(record, 'additionalEventData');
  const methods = (ownString(data, 'CredentialType') ?? '')
    .split(',')
    .map((factor) => factor.trim().toUpperCase())
    .filter((factor) => factor !== '');
  if (methods.some((factor) => factor !== 'PASSWORD' && factor !== 'EXTERNAL_IDP')) {
    return { used: true, methods, strength: methods.includes('WEBAUTHN') ? 'phishing-resistant' : 'mfa' };
  }
  // An external IdP did (or skipped) the second factor out of our sight.
  if (methods.includes('EXTERNAL_IDP') || methods.length === 0) return { used: undefined, methods };
  return { used: false, methods, strength: 'single-factor' };
};

/** An external IdP authenticated the user; whether it asked for MFA is not in the record. */
const externalMfa: MfaReader = () => ({ used: undefined, methods: [] });

/** Steps of a sign-in flow (challenge, verification, MFA check): the final event gives the answer. */
const stepMfa: MfaReader = () => undefined;

/**
 * The caller's own session says whether MFA backed the session it opens. Role sessions report `mfaAuthenticated: "false"` even when the IdP enforced MFA, so only IAM users
 * and root get a definite false.
 */
const callerSessionMfa: MfaReader = (_record, identity) => {
  const mfa = sessionMfa(identity);
  if (mfa === true) return { used: true, methods: [] };
  if (mfa === false && AWS_DECIDES_MFA.has(identityType(identity))) {
    return { used: false, methods: [], strength: 'single-factor' };
  }
  return { used: undefined, methods: [] };
};

/**
 * `sts:AssumeRole` opens a role session. A call that carried an MFA device (`serialNumber`, or a
 * `tokenCode` where a writer records it) proves a second factor (STS API reference, AssumeRole
 * SerialNumber/TokenCode); otherwise the caller's own session says.
 */
const assumeRoleMfa: MfaReader = (record, identity, reader) => {
  const parameters = reader.optObject(record, 'requestParameters');
  const serial = ownString(parameters, 'serialNumber') ?? ownString(parameters, 'SerialNumber');
  const token = ownString(parameters, 'tokenCode') ?? ownString(parameters, 'TokenCode');
  // STS takes only TOTP devices here (virtual or hardware): a second factor, not phishing-resistant.
  if (serial !== undefined || token !== undefined)
    return { used: true, methods: serial ? [serial] : [], strength: 'mfa' };
  return callerSessionMfa(record, identity, reader);
};

/**
 * The authentication events, by source then name. Deliberately NOT here (they are account changes or
 * session switches, category 'api'): PasswordUpdated, PasswordRecoveryRequested/Completed, SwitchRole,
 * GetSigninToken, RenewRoleSession, ConsoleLogout — nor `sts:AssumeRoot`: it opens a privileged root
 * session of a member account, not a sign-in (see root-session.ts and the root-privileged-task rule).
 */
const AUTHENTICATION_EVENTS: ReadonlyMap<string, ReadonlyMap<string, MfaReader>> = new Map([
  [
    SIGNIN_SOURCE,
    new Map([
      ['ConsoleLogin', consoleLoginMfa],
      ['CheckMfa', stepMfa],
      ['CredentialChallenge', stepMfa],
      ['CredentialVerification', stepMfa],
      ['UserAuthentication', identityCenterMfa],
      ['ExternalIdPDirectoryLogin', externalMfa],
    ]),
  ],
  [
    STS_SOURCE,
    new Map([
      // Role sessions: a registry entry naming the role matches the session these open. SAML and web
      // identity federation leave the second factor to the IdP, out of the record's sight.
      ['AssumeRole', assumeRoleMfa],
      ['AssumeRoleWithSAML', externalMfa],
      ['AssumeRoleWithWebIdentity', externalMfa],
    ]),
  ],
  // The older Identity Center portal sign-in: an AwsServiceEvent, yet a person signing in.
  [SSO_SOURCE, new Map([['Authenticate', externalMfa]])],
]);

/** The MFA reader of an authentication event, or undefined for every other event. */
export function authenticationEvent(eventSource: string, eventName: string): MfaReader | undefined {
  return AUTHENTICATION_EVENTS.get(eventSource)?.get(eventName);
}

/**
 * Steps of a sign-in flow (those read by `stepMfa`). Their "Success" says a challenge was issued or one factor
 * passed, never that the sign-in succeeded: the final event (`ConsoleLogin`, `UserAuthentication`) says
 * that, and where it cannot be attributed (Identity Center writes the user name only on the password
 * `CredentialChallenge`: "Username in sign-in CloudTrail events") the step is an attempt whose outcome is
 * not in the record. A step's "Failure" is a failed sign-in.
 */
const STEP_EVENTS: ReadonlySet<string> = new Set(
  [...(AUTHENTICATION_EVENTS.get(SIGNIN_SOURCE) ?? [])].filter(([, mfa]) => mfa === stepMfa).map(([name]) => name),
);

/** Sources whose events state their own verdict in `responseElements.<eventName>` or `serviceEventDetails.<eventName>`. */
const VERDICT_SOURCES: ReadonlySet<string> = new Set([SIGNIN_SOURCE, SSO_SOURCE]);

const VERDICTS: ReadonlyMap<string, Outcome> = new Map([
  ['success', 'success'],
  ['failure', 'failure'],
]);

/**
 * Sign-in events say "Success"/"Failure" under their own name (ConsoleLogin, PasswordUpdated in
 * `responseElements`; Identity Center in `serviceEventDetails`); API calls fail when `errorCode` is set.
 * A step's "Success" is `unknown`: see {@link STEP_EVENTS}. A sign-in record without a verdict but with an
 * `errorMessage` is a failure.
 */
export function readOutcome(
  record: JsonObject,
  reader: FieldReader,
  eventSource: string,
  eventName: string,
  errorCode: string | undefined,
): Outcome {
  if (VERDICT_SOURCES.has(eventSource)) {
    const verdict =
      ownString(reader.optObject(record, 'responseElements'), eventName) ??
      ownString(reader.optObject(record, 'serviceEventDetails'), eventName);
    if (verdict !== undefined) {
      const outcome = VERDICTS.get(verdict.toLowerCase()) ?? 'unknown';
      return outcome === 'success' && eventSource === SIGNIN_SOURCE && STEP_EVENTS.has(eventName) ? 'unknown' : outcome;
    }
    // A sign-in record without its verdict (a trimmed export) that carries the failure text
    // ("Failed authentication", "No username found in supplied account") did not succeed.
    if (errorCode === undefined && ownString(record, 'errorMessage') !== undefined) return 'failure';
  }
  return errorCode === undefined ? 'success' : 'failure';
}

/**
 * The strength an MFA device ARN names: `…:u2f/…` is a FIDO security key or passkey (phishing-resistant),
 * `…:mfa/…` a virtual or hardware TOTP device (IAM user guide, "AWS Multi-factor authentication in IAM").
 */
function deviceStrength(identifier: string | undefined): AuthStrength | undefined {
  if (identifier === undefined) return undefined;
  const resource = identifier.split(':').slice(5).join(':');
  if (resource.startsWith('u2f/')) return 'phishing-resistant';
  if (resource.startsWith('mfa/')) return 'mfa';
  return undefined;
}

function withStrength(mfa: MfaInfo, strength: AuthStrength | undefined): MfaInfo {
  return strength === undefined ? mfa : { ...mfa, strength };
}

/** `sessionContext.attributes.mfaAuthenticated` as a boolean, undefined when absent or odd. */
function sessionMfa(identity: JsonObject): boolean | undefined {
  const context = identity.sessionContext;
  const attributes = isObject(context) ? context.attributes : undefined;
  const flag = isObject(attributes) ? attributes.mfaAuthenticated : undefined;
  if (flag === true || flag === 'true') return true;
  if (flag === false || flag === 'false') return false;
  return undefined;
}

function identityType(identity: JsonObject): string {
  return typeof identity.type === 'string' ? identity.type : '';
}

/**
 * An own string property, capped; undefined otherwise. Keys may come from the record itself
 * (`eventName`), so inherited names such as "constructor" must not resolve.
 */
export function ownString(obj: JsonObject | undefined, key: string): string | undefined {
  if (obj === undefined || !Object.hasOwn(obj, key)) return undefined;
  const value = obj[key];
  return typeof value === 'string' && value !== '' ? cap(value) : undefined;
}

function presentStrings(obj: JsonObject | undefined, keys: readonly string[]): string[] {
  const found: string[] = [];
  for (const key of keys) {
    const value = ownString(obj, key);
    if (value !== undefined) found.push(value);
  }
  return found;
}
