from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gendan.web.work import work_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"sections": work_for(request.user.roles)})
