import re

import pytest
from django import forms

from core.filters import QuickSelect

CHOICES = [("", "Any service"), ("payments-api", "Payments API"), ("search", 'Search <beta> & "more"')]


def squeezed(html):
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize("value", [None, "", "search", "missing"])
def test_quick_select_writes_what_the_stock_select_writes(value):
    attrs = {"id": "id_service", "aria-describedby": "help", "required": True, "disabled": False}
    stock = forms.Select(choices=CHOICES).render("service", value, attrs)
    quick = QuickSelect(choices=CHOICES).render("service", value, attrs)
    assert squeezed(quick) == squeezed(stock)
    assert "&lt;beta&gt;" in quick
