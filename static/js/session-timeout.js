// Warns before an idle session ends (the NHS "You'll be signed out" pattern) and goes to
// the sign-in page when it has. The server keeps the clock (SessionTimeoutMiddleware);
// this asks it how long is left before acting, so another tab that kept the session
// alive is respected. Pressing Escape or "Stay signed in" keeps the session.
(() => {
  const dialog = document.getElementById('session-timeout')
  if (!dialog || typeof dialog.showModal !== 'function') return
  const { idleSeconds, warningSeconds, statusUrl, keepAliveUrl, signedOutUrl, csrfToken } =
    dialog.dataset
  const warningMs = Number(warningSeconds) * 1000
  let warnTimer
  let endTimer

  const schedule = (msLeft) => {
    clearTimeout(warnTimer)
    clearTimeout(endTimer)
    warnTimer = setTimeout(warn, Math.max(0, msLeft - warningMs))
    endTimer = setTimeout(end, Math.max(0, msLeft))
  }

  const secondsLeft = (response) =>
    response.ok ? response.json().then((body) => body.seconds_left) : 0

  const check = () =>
    fetch(statusUrl, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(secondsLeft)
      .catch(() => null) // offline for a moment: decide at the next timer

  const warn = () =>
    check().then((left) => {
      if (left === null) return
      if (left * 1000 > warningMs + 1000) schedule(left * 1000)
      else if (!dialog.open) dialog.showModal()
    })

  const end = () =>
    check().then((left) => {
      if (left === null) return schedule(warningMs)
      if (left > 0) return schedule(left * 1000)
      window.location.assign(signedOutUrl)
    })

  const stay = () =>
    fetch(keepAliveUrl, {
      method: 'POST',
      headers: { Accept: 'application/json', 'X-CSRFToken': csrfToken },
      credentials: 'same-origin',
    })
      .then(secondsLeft)
      .then((left) => {
        if (dialog.open) dialog.close()
        if (left > 0) schedule(left * 1000)
        else window.location.assign(signedOutUrl)
      })

  dialog.querySelector('[data-session-timeout-stay]').addEventListener('click', stay)
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault()
    stay()
  })
  // Each htmx request is activity the server has counted.
  document.addEventListener('htmx:afterRequest', () => schedule(Number(idleSeconds) * 1000))
  schedule(Number(idleSeconds) * 1000)
})()
