# An example masthead-backends.vcl, which masthead.vcl includes from
# vcl_path (e.g. /etc/varnish/masthead-backends.vcl): the app backends, their
# round-robin director `app` and who may purge. This one is for two app
# processes on 8001 and 8002; scripts/services writes its own for the ports
# it picks, and a production Varnish lists its app machines the same way
# (docs/deployment.md).

backend app_1 {
    .host = "127.0.0.1";
    .port = "8001";
    .probe = masthead_probe;
}

backend app_2 {
    .host = "127.0.0.1";
    .port = "8002";
    .probe = masthead_probe;
}

# The addresses the app processes purge from.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_init {
    new app = directors.round_robin();
    app.add_backend(app_1);
    app.add_backend(app_2);
}
