# Masthead's Varnish policy (Varnish 7.1, VCL 4.1). docs/deployment.md
# describes the topology; the contract with the app is:
#
# - a cacheable public response carries X-Cache-Tags ("site home section-3
#   article-12 ...") and X-Masthead-TTL (seconds this cache may keep it);
#   only such responses are stored, so a 404 for an article that is not
#   released yet is never kept;
# - the app purges with `BAN /` and the header X-Purge-Tags: every object
#   whose X-Cache-Tags holds one of those tags as a whole word is banned;
# - browsers see the app's own short Cache-Control, never the tags.
#
# The backends, their round-robin director `app` and the `purgers` ACL come
# from masthead-backends.vcl, found on vcl_path: scripts/services writes one
# for the ports it picked; backends.example.vcl beside this file shows the
# form for a hand-run Varnish (two apps on 8001 and 8002).

vcl 4.1;

import directors;
import std;

# Each app process is probed; a sick one leaves the round robin, and when
# all are sick (database down, deploy) stale copies are served for longer.
probe masthead_probe {
    .url = "/robots.txt";
    .interval = 2s;
    .timeout = 2s;
    .window = 5;
    .threshold = 3;
    # Start healthy: the apps are up before Varnish in scripts/services.
    .initial = 3;
}

include "masthead-backends.vcl";

sub vcl_recv {
    if (req.method == "BAN") {
        call masthead_ban;
    }
    set req.backend_hint = app.backend();

    # Writes (view beacon, sign-in, forms): never cached.
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Wagtail's and Django's admin, previews included: per user.
    if (req.url ~ "^/(admin|django-admin)(/|\?|$)") {
        return (pass);
    }
    # The member's own pages in every edition (/account/, /uk/account/):
    # their session cookie is theirs alone (#16).
    if (req.url ~ "^/([a-z]{2,3}(-[a-z0-9]+)?/)?account/") {
        return (pass);
    }
    # A signed-in user (session cookie) or HTTP auth: pages may differ.
    if (req.http.Cookie ~ "(^|;)\s*sessionid=" || req.http.Authorization) {
        return (pass);
    }
    # A member's access pass (#17): a gated article differs by it, and only
    # the app can check its signature; the app's page cache keeps one copy
    # per kind of pass (cache/wsgi.py).
    if (req.http.Cookie ~ "(^|;)\s*masthead_access=") {
        return (pass);
    }
    # Everyone else shares one copy; their other cookies do not vary it.
    unset req.http.Cookie;

    # Stale-while-revalidate: a copy up to 30 s past its TTL is served while
    # a fresh one is fetched. When every app is sick, the whole grace of the
    # object applies (vcl_backend_response), so readers keep getting pages.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 30s;
    }
    return (hash);
}

# BAN / with X-Purge-Tags: "tag1 tag2 ...", from the purgers ACL only. The
# ban tests obj.http only, so the ban lurker can evict in the background.
sub masthead_ban {
    if (client.ip !~ purgers) {
        return (synth(403, "Forbidden"));
    }
    set req.http.X-Purge-Tags = regsuball(req.http.X-Purge-Tags, "^\s+|\s+$", "");
    # Tags are plain words; anything else could smuggle a regular expression.
    if (req.http.X-Purge-Tags !~ "^[A-Za-z0-9_:-]+(\s+[A-Za-z0-9_:-]+)*$") {
        return (synth(400, "X-Purge-Tags must be space-separated tags"));
    }
    # A ban argument ends at a space, hence [[:space:]] for the separator.
    if (std.ban("obj.http.X-Cache-Tags ~ (^|[[:space:]])(" +
            regsuball(req.http.X-Purge-Tags, "\s+", "|") + ")([[:space:]]|$)")) {
        return (synth(200, "Banned"));
    }
    return (synth(400, std.ban_error()));
}

# Host and URL (the built-in hash) and the scheme a TLS proxy in front
# reports: pages carry absolute links, so http and https copies differ.
sub vcl_hash {
    if (req.http.X-Forwarded-Proto) {
        hash_data(req.http.X-Forwarded-Proto);
    }
}

sub vcl_backend_response {
    # A background refresh that failed (database briefly down) keeps the
    # stale copy instead of replacing it with the error.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    # A pass (admin, signed-in, writes): delivered, never stored.
    if (bereq.uncacheable) {
        return (deliver);
    }
    if (!beresp.http.Content-Encoding && beresp.http.Content-Type ~
            "^(text/|application/([a-z.+-]*\+)?(json|xml|javascript)|image/svg\+xml)") {
        set beresp.do_gzip = true;
    }
    # A tagged public page, feed or listing: kept for X-Masthead-TTL, until
    # a ban for one of its tags removes it.
    if (beresp.http.X-Cache-Tags && beresp.http.X-Masthead-TTL ~ "^[0-9]+$"
            && !beresp.http.Set-Cookie
            && beresp.http.Cache-Control !~ "(private|no-store)") {
        set beresp.ttl = std.duration(beresp.http.X-Masthead-TTL + "s", 0s);
        if (beresp.ttl > 0s) {
            # Used in full only while every app is sick (vcl_recv).
            set beresp.grace = 1h;
            return (deliver);
        }
    }
    # Static files under a content hash never change (WhiteNoise marks them
    # immutable); they carry no tags because nothing purges them.
    if (bereq.url ~ "^/static/" && beresp.status == 200
            && beresp.http.Cache-Control ~ "immutable") {
        set beresp.ttl = 1d;
        set beresp.grace = 1h;
        return (deliver);
    }
    # Anything else (untagged, 404 for an embargoed article, redirects):
    # not stored. Hit-for-miss keeps requests for it from queueing behind
    # one another, and lets the next cacheable answer be stored at once.
    set beresp.uncacheable = true;
    set beresp.ttl = 10s;
    set beresp.grace = 0s;
    return (deliver);
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # A tagged copy is kept current by bans, so its age in this cache says
    # nothing about staleness: browsers get the app's full max-age.
    if (resp.http.X-Cache-Tags) {
        unset resp.http.Age;
    }
    unset resp.http.X-Cache-Tags;
    unset resp.http.X-Masthead-TTL;
}
