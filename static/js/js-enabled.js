// Loaded first in <body>, synchronously, so the classes are set before the page is drawn.
// NHS.UK frontend hides and shows things by them, and its components start only where
// nhsuk-frontend-supported is set (browsers that run ES modules). Kept out of the page
// because the Content-Security-Policy allows no inline script.
document.body.className +=
  ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' nhsuk-frontend-supported' : '')
