// One Lighthouse run on one page, as a first visit: `node run.mjs URL OUT.json [COOKIE.json]`.
// Called by bench/lighthouse.py. The session cookie goes into the browser's cookie jar
// before the run: passed as an extra Cookie header instead, it is lost on the page's own
// requests (htmx fragments) as soon as the page sets its CSRF cookie. Lighthouse keeps
// cookies when it clears the origin's storage and cache, so the visit is still a first one.
import { writeFileSync, readFileSync } from 'node:fs'
import * as chromeLauncher from 'chrome-launcher'
import lighthouse from 'lighthouse'
import puppeteer from 'puppeteer-core'

const [url, out, cookieFile] = process.argv.slice(2)
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  // --no-sandbox: chromium refuses to run as root with its sandbox.
  chromeFlags: ['--headless=new', '--no-sandbox'],
})
try {
  if (cookieFile) {
    const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}` })
    const cookie = JSON.parse(readFileSync(cookieFile, 'utf8'))
    await browser.setCookie({ ...cookie, domain: new URL(url).hostname, path: '/' })
    await browser.disconnect()
  }
  const result = await lighthouse(url, {
    port: chrome.port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance', 'best-practices'],
  })
  writeFileSync(out, result.report)
} finally {
  await chrome.kill()
}
