// Sets the classes NHS.UK frontend's components start from: nhsuk-frontend-supported where
// the browser runs ES modules. Deferred, so it blocks no rendering (ADR 0029): it runs once
// the page is parsed, before init.js starts the components. The classes only change what
// those components show before they start (the character count's message), so setting
// them after the first paint moves nothing. A file because the Content-Security-Policy
// allows no inline script.
document.body.className +=
  ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' nhsuk-frontend-supported' : '')
