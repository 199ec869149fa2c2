// Starts NHS.UK frontend's components (error summary focus, character counts, password
// show/hide, header menu...). A module, so browsers too old for the components skip it.
import { initAll } from '../vendor/nhsuk-frontend/nhsuk-frontend.min.js'

initAll()

// Content that htmx swaps in later needs its components started as well.
document.addEventListener('htmx:load', (event) => {
  if (event.target instanceof Element && event.target !== document.body) {
    initAll(event.target)
  }
})
