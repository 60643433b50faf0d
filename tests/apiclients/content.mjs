// Ghost's Content API client, unchanged, against a site: prints JSON.
// Usage: GHOST_URL=... GHOST_CONTENT_KEY=... node content.mjs <resource> <browse|read> '<options json>'
import GhostContentAPI from '@tryghost/content-api';

const [resource, method, optionsJson = '{}'] = process.argv.slice(2);
const api = new GhostContentAPI({
    url: process.env.GHOST_URL,
    key: process.env.GHOST_CONTENT_KEY,
    version: 'v5.0'
});

try {
    const options = JSON.parse(optionsJson);
    const result = method === 'read'
        ? await api[resource].read(options, options)
        : await api[resource].browse(options);
    const meta = Array.isArray(result) ? result.meta : undefined;
    process.stdout.write(JSON.stringify({result, meta}));
} catch (error) {
    process.stdout.write(JSON.stringify({error: {name: error.name, message: error.message, type: error.type}}));
    process.exitCode = 2;
}
