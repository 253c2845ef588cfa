// Unpacks npm @sparticuz/chromium's headless Chromium into $TMPDIR (tests/browser.py sets it to
// the project's data directory) and prints the executable's path.
import chromium from "@sparticuz/chromium";

console.log(await chromium.executablePath());
