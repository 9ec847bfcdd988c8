"""SQLModel tables. Importing this package registers every table on ``SQLModel.metadata``.

Constraint names follow one convention so Alembic migrations (and their downgrades) are
stable on SQLite and Postgres alike.
"""

from sqlmodel import SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

from models.accounts import (  # noqa: E402
    AuthSession,
    EmailToken,
    InviteCode,
    LoginAttempt,
    Role,
    SellerProfile,
    TokenPurpose,
    User,
)

from models.catalog import (  # noqa: E402
    Category,
    City,
    Dialect,
    Favourite,
    Gig,
    GigExtra,
    GigFaq,
    GigMedia,
    GigPackage,
    GigRequirement,
    GigSearchDoc,
    GigStatus,
    MediaKind,
    PackageTier,
    RequirementKind,
    SearchTerm,
)

from models.invoices import Invoice, InvoiceChain, InvoiceKind, InvoicePurpose, InvoiceType  # noqa: E402
from models.ledger import (  # noqa: E402
    AccountKind,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    TransactionKind,
)

from models.orders import (  # noqa: E402
    CardRefund,
    CardRefundStatus,
    Notification,
    Order,
    OrderDelivery,
    OrderEvent,
    OrderExtra,
    OrderFile,
    OrderRequirement,
    OrderStatus,
    OrderTip,
    Payment,
    PaymentStatus,
    TipStatus,
    Withdrawal,
    WithdrawalStatus,
)
from models.messages import Conversation, ConversationMember, ContactFlag, FlagStatus, Message, MessageFile, MessageKind  # noqa: E402
from models.offers import CustomOffer, OfferStatus  # noqa: E402
from models.requests import BuyerRequest, RequestStatus  # noqa: E402
from models.payments import BankTransfer, MoyasarInvoice, MoyasarRefund, MoyasarWebhookEvent, SandboxPayment, SandboxRefund, StripeCheckout, StripeRefund, StripeWebhookEvent  # noqa: E402
from models.reviews import Review, ReviewSide  # noqa: E402
from models.trust import IdentityVerification, Report, ReportReason, ReportStatus, ReportTarget, VerificationMethod, VerificationStatus  # noqa: E402
from models.notifications import NotificationSetting  # noqa: E402
from models.seo import ContentVersion  # noqa: E402

metadata = SQLModel.metadata

__all__ = [
    "AccountKind",
    "AuthSession",
    "Category",
    "ContactFlag",
    "BuyerRequest",
    "CardRefund",
    "CardRefundStatus",
    "CustomOffer",
    "Conversation",
    "ConversationMember",
    "FlagStatus",
    "Message",
    "MessageFile",
    "MessageKind",
    "City",
    "ContentVersion",
    "Dialect",
    "Favourite",
    "Gig",
    "GigExtra",
    "GigFaq",
    "GigMedia",
    "GigPackage",
    "GigRequirement",
    "GigSearchDoc",
    "GigStatus",
    "IdentityVerification",
    "InviteCode",
    "Invoice",
    "InvoiceChain",
    "InvoiceKind",
    "InvoicePurpose",
    "InvoiceType",
    "LedgerAccount",
    "LedgerEntry",
    "LedgerTransaction",
    "MediaKind",
    "Notification",
    "NotificationSetting",
    "OfferStatus",
    "RequestStatus",
    "Order",
    "OrderDelivery",
    "OrderEvent",
    "OrderExtra",
    "OrderFile",
    "OrderRequirement",
    "OrderStatus",
    "OrderTip",
    "PackageTier",
    "Payment",
    "PaymentStatus",
    "RequirementKind",
    "Report",
    "ReportReason",
    "ReportStatus",
    "ReportTarget",
    "Review",
    "ReviewSide",
    "SearchTerm",
    "EmailToken",
    "LoginAttempt",
    "Role",
    "MoyasarInvoice",
    "MoyasarRefund",
    "MoyasarWebhookEvent",
    "SandboxPayment",
    "SandboxRefund",
    "StripeCheckout",
    "StripeRefund",
    "StripeWebhookEvent",
    "SellerProfile",
    "TipStatus",
    "TokenPurpose",
    "TransactionKind",
    "User",
    "VerificationMethod",
    "VerificationStatus",
    "Withdrawal",
    "WithdrawalStatus",
    "metadata",
]
