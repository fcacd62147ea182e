"""The admin's page of organisations: the list, and creating one."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from sbd_tool.storage.models import Organisation
from sbd_tool.web import audit
from sbd_tool.web.access import rule
from sbd_tool.web.admin.blueprint import bp
from sbd_tool.web.admin.forms import OrganisationForm
from sbd_tool.web.store import db


@bp.route("/organisations", methods=["GET", "POST"])
@rule("admin")
def organisations() -> BaseResponse | tuple[str, int] | str:
    form = OrganisationForm()
    if form.validate_on_submit():
        org = Organisation(name=(form.name.data or "").strip())
        db().add(org)
        audit.record(db(), "admin_org_create", name=org.name)
        db().commit()
        flash(gettext("組織「%(name)s」を作成しました。", name=org.name), "success")
        return redirect(url_for(".organisations"))
    orgs = list(db().scalars(select(Organisation).order_by(Organisation.name)))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/organisations.html", form=form, organisations=orgs), status
