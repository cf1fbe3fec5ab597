"""``convenantgen seal FILE.pdf``: validation data and a document timestamp after the last
signature (PAdES B-LTA), every signature kept valid."""

from __future__ import annotations

from pathlib import Path

from ..authoring.seal import SEALED_SUFFIX, load_revocation_files, seal
from ..authoring.signatures import load_trust_roots
from ..errors import UsageError
from .signatures import trust_option


def add_parser(sub) -> None:
    """Register ``seal``."""
    parser = sub.add_parser(
        "seal",
        help="add validation data and a document timestamp to a signed package (PAdES B-LTA)",
    )
    parser.add_argument("pdf", help="the signed signing package (PDF)")
    parser.add_argument(
        "--out",
        metavar="FILE",
        help="where to write the sealed package (default: FILE-sealed.pdf beside it)",
    )
    parser.add_argument(
        "--in-place", action="store_true", help="replace the input by the sealed package"
    )
    parser.add_argument(
        "--tsa", required=True, metavar="URL", help="the RFC 3161 time-stamping authority"
    )
    trust_option(parser)
    parser.add_argument(
        "--ocsp",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="an OCSP response (DER or PEM) to embed; repeatable",
    )
    parser.add_argument(
        "--crl",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="a CRL (DER or PEM) to embed; repeatable",
    )
    parser.add_argument(
        "--no-fetch",
        action="store_true",
        help="fetch no OCSP responses or CRLs; use only --ocsp, --crl and the file's DSS",
    )
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds per network request (default 30)"
    )
    parser.set_defaults(func=cmd_seal)


def cmd_seal(args) -> int:

    source = Path(args.pdf)
    if args.in_place and args.out:
        raise UsageError("give either --out or --in-place, not both")
    default = source.with_name(f"{source.stem}{SEALED_SUFFIX}.pdf")
    out = source if args.in_place else Path(args.out) if args.out else default
    if out.resolve() == source.resolve() and not args.in_place:
        raise UsageError(f"'{out}' is the input; use --in-place to replace it")
    if not source.is_file():
        raise UsageError(f"'{source}' does not exist")
    ocsps, crls = load_revocation_files(args.ocsp, args.crl)
    result = seal(
        source,
        out,
        tsa_url=args.tsa,
        trust=load_trust_roots(args.trust),
        ocsps=ocsps,
        crls=crls,
        fetch=not args.no_fetch,
        timeout=args.timeout,
    )
    stamp = result.report.timestamps[-1]
    signed = sum(1 for f in result.report.fields if f.signed)
    print(
        f"sealed {out}: validation data for {signed} signature(s) and a document timestamp "
        f"of {stamp.time.isoformat()} by {stamp.authority}; every signature is PAdES B-LTA"
    )
    return 0
