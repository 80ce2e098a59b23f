from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from .markdown import render_markdown
from .models import Drug, DrugClass


@require_GET
def home(request):
    context = {
        "drug_classes": DrugClass.objects.with_published_counts(),
        "recently_reviewed": Drug.objects.published().recently_reviewed()[:6],
    }
    return render(request, "drugs/home.html", context)


@require_GET
def drug_detail(request, slug):
    drug = get_object_or_404(Drug.objects.published().with_monograph_relations(), slug=slug)
    return render(request, "drugs/drug_detail.html", {"drug": drug})


@require_GET
def class_list(request):
    context = {"drug_classes": DrugClass.objects.with_published_counts()}
    return render(request, "drugs/class_list.html", context)


@require_GET
def class_detail(request, slug):
    drug_class = get_object_or_404(DrugClass, slug=slug)
    drugs = Drug.objects.published().in_class(drug_class).order_by("brand_name")
    return render(request, "drugs/class_detail.html", {"drug_class": drug_class, "drugs": drugs})


# django-markdownx's own views have no permission checks; these replace them behind staff login.
@staff_member_required
@require_POST
def markdown_preview(request):
    return HttpResponse(render_markdown(request.POST.get("content", "")))


@staff_member_required
@require_POST
def markdown_upload(request):
    return JsonResponse({"image": ["Image uploads are switched off."]}, status=403)
