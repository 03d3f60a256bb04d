// pa11y on one page, with its axe and htmlcs runners, for scripts/audit_pages.py.
//
// Usage: node audit/pa11y.cjs URL CONFIG.json   (prints pa11y's issues as JSON)
//
// pa11y gives axe's "needs review" results (axe could not decide, e.g. the background of
// text inside an SVG chart) the same type as its violations, so they read as errors
// (pa11y/pa11y#623). Here they are reported as warnings: after pa11y has run, axe runs again
// on the same page with the same tags, and every axe issue whose element axe lists as
// incomplete rather than as a violation becomes a warning. Violations stay errors, and no
// rule is turned off.
'use strict';

const fs = require('fs');
const path = require('path');
const pa11y = require('pa11y');
// The puppeteer that pa11y itself uses.
const puppeteer = require(require.resolve('puppeteer', {paths: [require.resolve('pa11y')]}));

const AXE_TAGS = ['wcag2a', 'wcag21a', 'wcag2aa', 'wcag21aa', 'best-practice'];

async function main() {
	const [url, configPath] = process.argv.slice(2);
	const config = JSON.parse(fs.readFileSync(configPath, 'utf8'));
	const browser = await puppeteer.launch(config.chromeLaunchConfig);
	try {
		const page = await browser.newPage();
		const results = await pa11y(url, {
			...config,
			browser,
			page,
			standard: 'WCAG2AA',
			runners: ['axe', 'htmlcs']
		});
		const axeIssues = results.issues.filter(issue => issue.runner === 'axe');
		const needsReview = await page.evaluate(async (tags, issues) => {
			const found = await window.axe.run(document, {runOnly: {type: 'tags', values: tags}});
			const elements = rule => new Set(rule.nodes.map(node => document.querySelector(node.target.flat().join(' '))));
			const incomplete = new Map(found.incomplete.map(rule => [rule.id, elements(rule)]));
			const violations = new Map(found.violations.map(rule => [rule.id, elements(rule)]));
			return issues.map(issue => {
				const element = issue.selector ? document.querySelector(issue.selector) : null;
				return Boolean(element) &&
					(incomplete.get(issue.code) || new Set()).has(element) &&
					!(violations.get(issue.code) || new Set()).has(element);
			});
		}, AXE_TAGS, axeIssues.map(({code, selector}) => ({code, selector})));
		axeIssues.forEach((issue, index) => {
			if (needsReview[index]) {
				issue.type = 'warning';
				issue.message = `Needs review: ${issue.message}`;
			}
		});
		process.stdout.write(JSON.stringify(results.issues));
	} finally {
		await browser.close();
	}
}

process.chdir(path.dirname(__filename));
main().catch(error => {
	process.stderr.write(`${error.stack || error}\n`);
	process.exit(1);
});
