// Ghost's Admin API client, unchanged, against a site: prints JSON.
// Usage: GHOST_URL=... GHOST_ADMIN_KEY=id:secret node admin.mjs <action> '<json>'
//   add-post <post> [query]  edit-post <post> [query]  read-post <{id}|{slug}>
//   browse-posts <options>   add-tag <tag>   upload-image <{file, ref}>
import GhostAdminAPI from '@tryghost/admin-api';

const [action, dataJson = '{}', queryJson = '{}'] = process.argv.slice(2);
const api = new GhostAdminAPI({
    url: process.env.GHOST_URL,
    key: process.env.GHOST_ADMIN_KEY,
    version: 'v5.0'
});

const actions = {
    'add-post': (data, query) => api.posts.add(data, query),
    'edit-post': (data, query) => api.posts.edit(data, query),
    'read-post': (data, query) => api.posts.read(data, query),
    'browse-posts': (data) => api.posts.browse(data),
    'add-tag': (data) => api.tags.add(data),
    'upload-image': (data) => api.images.upload(data)
};

try {
    const result = await actions[action](JSON.parse(dataJson), JSON.parse(queryJson));
    const meta = Array.isArray(result) ? result.meta : undefined;
    process.stdout.write(JSON.stringify({result, meta}));
} catch (error) {
    process.stdout.write(JSON.stringify({error: {name: error.name, message: error.message, type: error.type}}));
    process.exitCode = 2;
}
