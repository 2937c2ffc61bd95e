"""The Import page's upload: a portfolio file, checked as far as it can be without saving."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring import interchange
from scoring.interchange import spreadsheet

MAX_BYTES = 10 * 1024 * 1024
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Portfolio file"),
        help_text=gettext_lazy(
            "A JSON file in the ml-portfolio format, as export_portfolio writes it, or a "
            "spreadsheet of proposals and ratings (.csv or .xlsx, see the columns below); "
            "at most 10 MB."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": f".json,.csv,.xlsx,application/json,text/csv,{XLSX_TYPE}"}
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; the limit is 10 MB.")
                % {"size": upload.size / 1024 / 1024}
            )
        data = upload.read()
        try:
            self.kind = spreadsheet.kind_of(upload.name, data)
            # What can be told without the database is told at once; the rest in the preview.
            if self.kind == "json":
                interchange.parse(data)
            else:
                spreadsheet.read(self.kind, data)
        except interchange.InvalidDocument as invalid:
            raise forms.ValidationError([str(problem) for problem in invalid.problems]) from None
        self.data_bytes = data
        return upload
