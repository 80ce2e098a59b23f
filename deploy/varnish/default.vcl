# Varnish 7 in front of the Cancer Health Drugs app servers (docs/deploy.md).
#
# Public pages name what they show in an `xkey` header (surrogate keys); after a change commits,
# the app sends `PURGE` with an `xkey-purge: <keys>` header and the pages go at once. Only
# responses that carry keys are cached: everything else (the admin, staff pages, previews,
# redirects, errors, anything private or setting a cookie) goes to the app every time.
#
# `make edge` runs this file, with the backend port set to the app's. In production, set the
# backend (or a director over several app servers) and the `purgers` ACL to the app servers.
vcl 4.1;

import std;
import xkey;

backend app {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    # Sick means down, not busy: under a burst (or a purge sending every reader to the app at
    # once) /healthz/ waits behind the pages in the workers' queue, and a sick backend turns
    # every purged page into a 503. Three failed probes out of five, each given 5 s.
    .probe = {
        .url = "/healthz/";
        .interval = 5s;
        .timeout = 5s;
        .window = 5;
        .threshold = 3;
    }
}

# Who may purge: the app servers.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purging is not allowed from this address"));
        }
        if (req.http.xkey-purge) {
            set req.http.x-purged = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Purged " + req.http.x-purged + " objects"));
        }
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Editors and staff: never from the cache. (Change "admin" here if ADMIN_URL moves it.)
    if (req.url ~ "^/(admin|staff|markdownx|accounts)(/|$)") {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Public pages do not read cookies; analytics cookies must not split the cache.
    unset req.http.Cookie;

    # Tracking parameters change nothing on a page: one cached copy for all of them.
    if (req.url ~ "[?&](utm_[a-z]+|fbclid|gclid)=") {
        set req.url = regsuball(req.url, "(?<=[?&])(utm_[a-z]+|fbclid|gclid)=[^&]*&?", "");
        set req.url = regsub(req.url, "[?&]$", "");
    }

    # One cached variant per encoding Varnish can serve; it gzips pages itself.
    if (req.http.Accept-Encoding ~ "gzip") {
        set req.http.Accept-Encoding = "gzip";
    } else {
        unset req.http.Accept-Encoding;
    }

    # While the app is healthy, a page past its s-maxage is served stale only while one
    # request fetches it again; while the app is down, for as long as grace allows.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 30s;
    }
    return (hash);
}

sub vcl_backend_response {
    if (!beresp.http.xkey || beresp.http.Set-Cookie || beresp.http.Cache-Control ~ "private|no-store") {
        # Remember for a while that this address is not cacheable (hit-for-miss); it is
        # fetched from the app on every request, never served from here.
        set beresp.uncacheable = true;
        set beresp.ttl = 60s;
        return (deliver);
    }
    # Kept past s-maxage to be served if the app is down (stale-if-error).
    set beresp.grace = 24h;
    if (beresp.http.Content-Type ~ "^(text/|application/(xml|atom\+xml|json))") {
        set beresp.do_gzip = true;
    }
    return (deliver);
}

sub vcl_deliver {
    # The keys are for purging here; readers need not see them.
    unset resp.http.xkey;
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
