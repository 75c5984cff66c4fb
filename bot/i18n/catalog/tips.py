"""Texts for prevention tips and the /tips schedule and library management."""

SV = {
    "tips.message": "💡 <b>Tips från grannsamverkan</b>\n\n{text}",
}

EN = {
    "tips.message": "💡 <b>Neighbourhood watch tip</b>\n\n{text}",
}
