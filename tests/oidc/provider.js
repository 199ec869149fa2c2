// A real OpenID Connect provider for the CIS2 sign-in tests (tests/core/test_cis2.py and
// tests/e2e/test_signin_journeys.py start it; nothing else does). panva/oidc-provider with
// one static client and fixed test accounts; a plain sign-in form (below) stands in for the
// CIS2 smartcard step. Never a production component.
//
// Environment: OIDC_PORT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URIS and
// OIDC_POST_LOGOUT_REDIRECT_URIS (comma separated), OIDC_ACCOUNTS (JSON: {"login": {"email": ..., "name": ..., "acr": ...,
// "amr": [...]}}; acr and amr, as CIS2 returns them, go into that account's ID token).
//
// POST /test/id-token with mode=wrong-key or mode=alg-none makes the token endpoint hand
// out ID tokens signed with a key that is not in the provider's JWKS, or not signed at
// all, as an attacker between us and CIS2 would; mode=normal stops it.
import { generateKeyPairSync, sign } from 'node:crypto'
import Provider from 'oidc-provider'

const port = Number(process.env.OIDC_PORT)
const issuer = `http://127.0.0.1:${port}`
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS)
const acrValues = [...new Set(Object.values(accounts).map((a) => a.acr).filter(Boolean))]

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_CLIENT_ID,
      client_secret: process.env.OIDC_CLIENT_SECRET,
      redirect_uris: process.env.OIDC_REDIRECT_URIS.split(','),
      // Where the end session page may send the browser back (RP-initiated logout).
      post_logout_redirect_uris: (process.env.OIDC_POST_LOGOUT_REDIRECT_URIS || '')
        .split(',')
        .filter(Boolean),
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  // acr, amr and auth_time with the openid scope: in every ID token, as CIS2 sends them.
  claims: {
    openid: ['sub', 'acr', 'amr', 'auth_time'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  async findAccount(ctx, id) {
    const account = accounts[id]
    if (!account) return undefined
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: account.email, email_verified: true, name: account.name }
      },
    }
  },
  // CIS2 asks for no consent screen for a registered service: grant what was asked.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    })
    grant.addOIDCScope('openid email profile')
    await grant.save()
    return grant
  },
  // CIS2's assurance levels, as the ID token's acr claim (none configured: no acr claim).
  acrValues,
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
})

// The sign-in step: an accessible form (the browser tests check every page they visit),
// posting the test account's login. Any password is accepted.
const page = (uid, error) => `<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Test CIS2 sign-in</title></head>
<body><main><h1>Test CIS2 sign-in</h1>${error ? `<p role="alert">${error}</p>` : ''}
<form method="post" action="/interaction/${uid}">
<label for="login">Smartcard user</label> <input id="login" name="login" type="text">
<label for="password">Passcode</label> <input id="password" name="password" type="password">
<button type="submit">Sign in</button></form></main></body></html>`

const readForm = async (req) => {
  let body = ''
  for await (const chunk of req) body += chunk
  return new URLSearchParams(body)
}

provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([^/]+)$/)
  if (!match) return next()
  const details = await provider.interactionDetails(ctx.req, ctx.res)
  if (ctx.method === 'GET') {
    ctx.type = 'html'
    ctx.body = page(details.uid)
    return undefined
  }
  const form = await readForm(ctx.req)
  const login = form.get('login') || ''
  if (!accounts[login]) {
    ctx.type = 'html'
    ctx.body = page(details.uid, 'No such test account')
    return undefined
  }
  const { acr, amr } = accounts[login]
  const redirectTo = await provider.interactionResult(ctx.req, ctx.res, {
    login: { accountId: login, ...(acr && { acr }), ...(amr && { amr }) },
  })
  ctx.redirect(redirectTo)
  return undefined
})
// Forged ID tokens (see the top of this file).
let idTokenMode = 'normal'
const base64url = (value) => Buffer.from(value).toString('base64url')
const forge = (idToken) => {
  const [header, payload] = idToken.split('.')
  if (idTokenMode === 'alg-none') {
    const { kid } = JSON.parse(Buffer.from(header, 'base64url'))
    return `${base64url(JSON.stringify({ alg: 'none', typ: 'JWT', kid }))}.${payload}.`
  }
  // The same header (kid and RS256), signed by a key the provider never published.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), privateKey)
  return `${header}.${payload}.${signature.toString('base64url')}`
}
provider.use(async (ctx, next) => {
  if (ctx.path === '/test/id-token' && ctx.method === 'POST') {
    idTokenMode = (await readForm(ctx.req)).get('mode') || 'normal'
    ctx.body = { mode: idTokenMode }
    return undefined
  }
  await next()
  if (ctx.path === '/token' && idTokenMode !== 'normal' && ctx.body?.id_token) {
    ctx.body = { ...ctx.body, id_token: forge(ctx.body.id_token) }
  }
  return undefined
})

// Quiet: the development-only warnings are expected here.
provider.on('server_error', (ctx, error) => console.error('server_error', error))

provider.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`)
})
