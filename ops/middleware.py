from django.http import HttpResponse

HEALTH_PATH = "/healthz"


class HealthCheckMiddleware:
    """Answer the liveness probe first, before host checks and the database.

    Load balancers probe by IP address, which ALLOWED_HOSTS rightly refuses, and
    a liveness probe must not fail because the database is busy.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == HEALTH_PATH and request.method in ("GET", "HEAD"):
            body = "ok\n" if request.method == "GET" else ""
            response = HttpResponse(body, content_type="text/plain")
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)


class HeadResponseMiddleware:
    """Send HEAD responses without their body, as HTTP requires.

    Django leaves that to the server, and gunicorn drops the body with a
    warning in the log for every HEAD request (monitors send many). Placed
    before CommonMiddleware, so Content-Length still gives the GET length.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "HEAD" and not response.streaming:
            response.content = b""
        return response
