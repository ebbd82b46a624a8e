"""Prices: decimals with at most two places, in an ISO 4217 currency. Never floats."""

from __future__ import annotations

from decimal import Decimal

MAX_PRICE = Decimal("10000")
CENT = Decimal("0.01")

# ISO 4217 currencies in circulation. Left out on purpose: funds (BOV, CHE, CHW, CLF, COU, MXV,
# USN, UYI, UYW), precious metals (XAG, XAU, XPD, XPT), bond units (XBA-XBD), XDR, XSU, XUA and
# the testing / "no currency" codes XTS, XXX: nobody charges for an appointment in those.
_ISO_4217 = """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP
    BYN BZD CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP
    GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS
    KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR
    MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF
    SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD
    TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL
"""
CURRENCIES = frozenset(_ISO_4217.split())


def is_currency(code: str) -> bool:
    return code in CURRENCIES


def normalize_price(price: Decimal) -> Decimal:
    """Two places, and never a negative zero ("-0" would render as "-0.00")."""
    return price.quantize(CENT) + 0


def format_price(price: Decimal) -> str:
    return f"{normalize_price(price):.2f}"
