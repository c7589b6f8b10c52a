"""Reads for the inbox and the reseller's messages. Every query starts from the tenant and
the member's visibility (a sales rep sees only the customers in their portfolio)."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import STAFF_ROLES, ManufacturerMembership, Role, User
from channel.benefits import priority_partnership_ids
from channel.models import Partnership
from channel.visibility import VIEW_PARTNERSHIP, partnership_visibility_q, require_viewer
from communications.models import (
    Attachment,
    Conversation,
    ConversationRead,
    ConversationType,
    Message,
    SavedView,
    StaffComment,
    reseller_visible_messages_q,
)
from orders.models import Order, OrderStatus
from orders.workflow import OPEN_STATUSES
from qualifications.models import QualificationGrant

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, WithAnnotations

INBOX_PAGE_SIZE = 25
RECENT_MESSAGES = 3
INVOICED_STATUSES = (OrderStatus.FULFILLED, OrderStatus.COMPLETED)


@dataclass(frozen=True)
class Tab:
    key: str
    label: "StrOrPromise"
    q: Q


UNMARKED = Q(mark="")
TABS: tuple[Tab, ...] = (
    Tab("new", gettext_lazy("All New Leads"), UNMARKED),
    Tab("qualification", gettext_lazy("Qualification Leads"),
        UNMARKED & Q(kind=ConversationType.QUALIFICATION)),
    Tab("inventory", gettext_lazy("Inventory Leads"),
        UNMARKED & Q(kind=ConversationType.INVENTORY)),
    Tab("opportunity", gettext_lazy("Opportunity Leads"),
        UNMARKED & Q(kind=ConversationType.OPPORTUNITY)),
    Tab("products", gettext_lazy("Products Leads"), UNMARKED & Q(kind=ConversationType.PRODUCTS)),
    Tab("shopify", gettext_lazy("Shopify Leads"), UNMARKED & Q(kind=ConversationType.SHOPIFY)),
    Tab("marked", gettext_lazy("Marked"), ~UNMARKED),
)  # fmt: skip
TABS_BY_KEY = {tab.key: tab for tab in TABS}
DEFAULT_TAB = "new"


def visible_conversations(*, membership: ManufacturerMembership) -> QuerySet[Conversation]:
    """The tenant's conversations this member may see: all for staff, a rep's portfolio."""
    require_viewer(membership)
    return Conversation.objects.filter(manufacturer_id=membership.manufacturer_id).filter(
        partnership_visibility_q(membership, prefix="partnership__")
    )


def conversation_search(rows: QuerySet[Conversation], query: str) -> QuerySet[Conversation]:
    """`rows` whose reseller (name, ID, email), subject or any message matches `query`.

    The reseller and message conditions are uncorrelated subqueries that the database runs
    once (on PostgreSQL the messages through the trigram index of migration 0002), not once
    per conversation. They only pick among `rows`, which the caller has already limited to
    what the member may see.
    """
    query = (query or "").strip()
    if not query:
        return rows
    matching_partnerships = Partnership.objects.filter(
        Q(reseller__name__icontains=query)
        | Q(reseller__public_id__iexact=query)
        | Q(reseller__public_email__icontains=query)
    ).values("pk")
    matching_messages = Message.objects.filter(body__icontains=query).values("conversation_id")
    return rows.filter(
        Q(partnership__in=matching_partnerships)
        | Q(subject__icontains=query)
        | Q(pk__in=matching_messages)
    )


def tab_counts(rows: QuerySet[Conversation]) -> dict[str, int]:
    """Every tab's count in one aggregate query."""
    return rows.aggregate(**{tab.key: Count("pk", filter=tab.q) for tab in TABS})


# --- keyset paging -------------------------------------------------------------------------


@dataclass(frozen=True)
class Sort:
    key: str
    label: "StrOrPromise"
    field: str
    descending: bool


SORTS: tuple[Sort, ...] = (
    Sort("newest", gettext_lazy("Newest first"), "last_message_at", True),
    Sort("oldest", gettext_lazy("Oldest first"), "last_message_at", False),
    # Only conversations waiting for an answer, the longest wait first.
    Sort("waiting", gettext_lazy("Waiting longest"), "awaiting_since", False),
)
SORTS_BY_KEY = {sort.key: sort for sort in SORTS}
DEFAULT_SORT = "newest"


def encode_cursor(conversation: Conversation, field: str = "last_message_at") -> str:
    stamp = int(getattr(conversation, field).timestamp() * 1_000_000)
    priority = getattr(conversation, "is_priority", 0)
    return f"{priority}_{stamp}_{conversation.pk}"


def decode_cursor(value: str | None) -> tuple[int, datetime, int] | None:
    """A cursor from the URL (priority, moment, id), or None for junk (the first page)."""
    if not value:
        return None
    try:
        parts = value.split("_")
        priority, stamp, pk = parts if len(parts) == 3 else ["0", *parts]
        moment = datetime.fromtimestamp(int(stamp) / 1_000_000, tz=UTC)
        if priority not in ("0", "1"):
            return None
        return int(priority), moment, int(pk)
    except (ValueError, OverflowError, OSError):
        return None


def with_priority(rows: QuerySet[Conversation], priority_ids: Collection[int]) -> QuerySet[Any]:
    """`is_priority` 1 for the conversations of partners whose tier gives priority support
    (`channel.benefits.priority_partnership_ids`): the inbox lists them first."""
    if not priority_ids:
        return rows.annotate(is_priority=Value(0, output_field=IntegerField()))
    return rows.annotate(
        is_priority=Case(
            When(partnership_id__in=list(priority_ids), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


class CardContext(TypedDict):
    """What `_with_context` adds to each conversation of the inbox."""

    open_order_count: int
    last_invoice_at: datetime | None
    comment_count: int
    read_at: datetime | None
    # The newest few messages, oldest first once `_finish` has run.
    recent_messages: list[Message]


if TYPE_CHECKING:
    InboxCard = WithAnnotations[Conversation, CardContext]


@dataclass
class InboxPage:
    rows: "list[InboxCard]"
    next_cursor: str | None
    previous_cursor: str | None


def _with_context(rows: QuerySet[Conversation], *, user_id: int | None) -> "QuerySet[InboxCard]":
    """Everything a card shows, in a fixed number of queries for any page size."""
    open_orders = (
        Order.objects.filter(partnership=OuterRef("partnership_id"), status__in=OPEN_STATUSES)
        .order_by()
        .values("partnership")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # The newest invoiced order, read backwards on the (manufacturer, reseller, created_at)
    # index: a handful of rows even for a reseller with thousands of orders (a MAX over the
    # partnership read them all, ~3 ms per card on PostgreSQL for a busy reseller).
    last_invoice = Order.objects.filter(
        manufacturer_id=OuterRef("manufacturer_id"),
        reseller_id=OuterRef("partnership__reseller_id"),
        status__in=INVOICED_STATUSES,
    ).order_by("-created_at")[:1]
    comments = (
        StaffComment.objects.filter(conversation=OuterRef("pk"))
        .order_by()
        .values("conversation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # Without a viewer (a test of paging) nothing counts as read.
    read = ConversationRead.objects.filter(conversation=OuterRef("pk"), user_id=user_id or 0)
    recent = (
        Message.objects.select_related("author")
        .prefetch_related("attachments")
        .order_by("-created_at", "-pk")
    )
    return (
        rows.select_related("partnership__reseller", "assignee")
        .annotate(
            open_order_count=Coalesce(Subquery(open_orders, output_field=IntegerField()), Value(0)),
            last_invoice_at=Subquery(last_invoice.values("created_at")),
            comment_count=Coalesce(Subquery(comments, output_field=IntegerField()), Value(0)),
            read_at=Subquery(read.values("read_at")[:1]),
        )
        .prefetch_related(
            Prefetch("messages", queryset=recent[:RECENT_MESSAGES], to_attr="recent_messages"),
            Prefetch(
                "partnership__qualification_grants",
                queryset=QualificationGrant.objects.filter(revoked_at__isnull=True)
                .select_related("qualification")
                .order_by("qualification__code"),
                to_attr="active_grants",
            ),
        )
    )


def _finish(rows: "list[InboxCard]") -> "list[InboxCard]":
    """Each card's recent messages in reading order (the query fetched the newest first),
    and whether it is unread for the member looking."""
    for conversation in rows:
        conversation.recent_messages.reverse()
        conversation.is_unread = (  # type: ignore[attr-defined]
            conversation.read_at is None or conversation.read_at < conversation.last_message_at
        )
    return rows


def _beyond(field: str, moment: datetime, pk: int, *, later: bool) -> Q:
    """Rows after (`later`) or before the cursor in (field, pk) order."""
    op = "gt" if later else "lt"
    return Q(**{f"{field}__{op}": moment}) | Q(**{field: moment, f"pk__{op}": pk})


def _beyond_key(key: tuple[int, datetime, int], field: str, *, later: bool, forward: bool) -> Q:
    """Rows past the cursor in (priority first, field, pk) order: `forward` is the listing's
    direction (what comes after), else what comes before."""
    priority, moment, pk = key
    beyond_priority = Q(is_priority__lt=priority) if forward else Q(is_priority__gt=priority)
    return beyond_priority | (Q(is_priority=priority) & _beyond(field, moment, pk, later=later))


def inbox_page(
    rows: QuerySet[Conversation],
    *,
    user_id: int | None = None,
    sort: str = DEFAULT_SORT,
    after: str | None = None,
    before: str | None = None,
    page_size: int = INBOX_PAGE_SIZE,
    priority_ids: Collection[int] = (),
) -> InboxPage:
    """Keyset-paged on (priority, sort field, id), the conversations of `priority_ids`
    partners first, then the sort's direction: as fast on page 400 as on page 1. `after`
    shows what comes after a cursor; `before` what comes before it."""
    order = SORTS_BY_KEY.get(sort) or SORTS_BY_KEY[DEFAULT_SORT]
    field = order.field
    rows = with_priority(rows, priority_ids)
    if order.key == "waiting":
        rows = rows.filter(awaiting_since__isnull=False)
    forward = (
        ["-is_priority", f"-{field}", "-pk"] if order.descending else ["-is_priority", field, "pk"]
    )
    backward = (
        ["is_priority", field, "pk"] if order.descending else ["is_priority", f"-{field}", "-pk"]
    )
    after_key, before_key = decode_cursor(after), decode_cursor(before)
    if before_key is not None:
        earlier = rows.filter(_beyond_key(before_key, field, later=order.descending, forward=False))
        chunk = list(_with_context(earlier.order_by(*backward), user_id=user_id)[: page_size + 1])
        has_more = len(chunk) > page_size
        page = list(reversed(chunk[:page_size]))
        return InboxPage(
            rows=_finish(page),
            next_cursor=encode_cursor(page[-1], field) if page else None,
            previous_cursor=encode_cursor(page[0], field) if page and has_more else None,
        )
    if after_key is not None:
        rows = rows.filter(_beyond_key(after_key, field, later=not order.descending, forward=True))
    chunk = list(_with_context(rows.order_by(*forward), user_id=user_id)[: page_size + 1])
    page = chunk[:page_size]
    return InboxPage(
        rows=_finish(page),
        next_cursor=encode_cursor(page[-1], field) if len(chunk) > page_size else None,
        previous_cursor=encode_cursor(page[0], field) if page and after_key is not None else None,
    )


def inbox_card(*, membership: ManufacturerMembership, conversation_id: int) -> "InboxCard":
    """One card with the same context as the list (for htmx swaps)."""
    require_viewer(membership)
    rows = _with_context(
        with_priority(
            visible_conversations(membership=membership).filter(pk=conversation_id),
            priority_partnership_ids(membership.manufacturer_id),
        ),
        user_id=membership.user_id,
    )
    conversation = next(iter(rows), None)
    if conversation is None:
        raise Http404(_("No such conversation."))
    return _finish([conversation])[0]


# --- access --------------------------------------------------------------------------------


def access_conversation(
    *, membership: ManufacturerMembership, conversation_id: int
) -> Conversation:
    """The conversation, or one 404 for a missing, foreign or out-of-portfolio id."""
    require_viewer(membership)
    conversation = (
        visible_conversations(membership=membership)
        .select_related("partnership__reseller", "partnership__manufacturer")
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None:
        raise Http404(_("No such conversation."))
    return conversation


def access_message(*, membership: ManufacturerMembership, message_id: int) -> Message:
    require_viewer(membership)
    message = (
        Message.objects.filter(
            manufacturer_id=membership.manufacturer_id,
            conversation__in=visible_conversations(membership=membership),
        )
        .select_related(
            "conversation__partnership__reseller", "conversation__partnership__manufacturer"
        )
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        raise Http404(_("No such message."))
    return message


def conversation_thread(conversation: Conversation) -> list[Message]:
    return list(
        Message.objects.filter(conversation=conversation)
        .select_related("author")
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )


def conversation_comments(conversation: Conversation) -> list[StaffComment]:
    return list(
        StaffComment.objects.filter(conversation=conversation)
        .select_related("author")
        .order_by("created_at", "pk")
    )


class PartnershipContext(TypedDict):
    grants: list[QualificationGrant]
    open_order_count: int
    last_invoice_at: datetime | None


def partnership_context(partnership: Partnership) -> PartnershipContext:
    """The reseller's context beside a conversation (detail page)."""
    grants = list(
        QualificationGrant.objects.filter(partnership=partnership, revoked_at__isnull=True)
        .select_related("qualification")
        .order_by("qualification__code")
    )
    orders = Order.objects.filter(partnership=partnership)
    summary = orders.aggregate(
        open_order_count=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        last_invoice_at=Max("created_at", filter=Q(status__in=INVOICED_STATUSES)),
    )
    return {
        "grants": grants,
        "open_order_count": summary["open_order_count"],
        "last_invoice_at": summary["last_invoice_at"],
    }


# --- the reseller's side -------------------------------------------------------------------


def reseller_conversations(*, partnership: Partnership) -> QuerySet[Conversation]:
    """The partnership's conversations, each with its newest message the reseller may read."""
    visible = Message.objects.filter(reseller_visible_messages_q()).order_by("-created_at", "-pk")
    last_visible = Message.objects.filter(
        reseller_visible_messages_q(), conversation=OuterRef("pk")
    ).order_by("-created_at", "-pk")
    return (
        Conversation.objects.filter(
            manufacturer_id=partnership.manufacturer_id, partnership=partnership
        )
        .annotate(last_visible_at=Subquery(last_visible.values("created_at")[:1]))
        .prefetch_related(Prefetch("messages", queryset=visible[:1], to_attr="latest_visible"))
        .order_by(F("last_visible_at").desc(nulls_last=True), "-pk")
    )


def reseller_access_conversation(*, partnership: Partnership, conversation_id: int) -> Conversation:
    conversation = (
        Conversation.objects.filter(
            manufacturer_id=partnership.manufacturer_id, partnership=partnership
        )
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None:
        raise Http404(_("No such conversation."))
    return conversation


def reseller_thread(conversation: Conversation) -> list[Message]:
    """What the reseller reads: never staff comments, marks or marked staff messages."""
    return list(
        Message.objects.filter(conversation=conversation)
        .filter(reseller_visible_messages_q())
        .select_related("author")
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )


# --- who hears about a reseller's message --------------------------------------------------


def staff_recipients(partnership: Partnership) -> list[User]:
    """Owners and managers, and the sales rep whose portfolio holds this customer."""
    return list(
        User.objects.filter(
            Q(
                manufacturer_memberships__manufacturer_id=partnership.manufacturer_id,
                manufacturer_memberships__role__in=STAFF_ROLES,
            )
            | Q(
                manufacturer_memberships__manufacturer_id=partnership.manufacturer_id,
                partnershipuserobjectpermission__content_object_id=partnership.pk,
                partnershipuserobjectpermission__permission__codename=VIEW_PARTNERSHIP,
            ),
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


# --- the team inbox ------------------------------------------------------------------------


def assignable_members(
    *, manufacturer_id: int, partnership_id: int | None = None
) -> list[ManufacturerMembership]:
    """Who a conversation may be given to: owners and managers, and the sales reps (only
    the one whose portfolio holds the customer, when `partnership_id` is given)."""
    reps = Q(role__in=[role for role in Role.values if role not in STAFF_ROLES])
    if partnership_id is not None:
        reps &= Q(
            user__partnershipuserobjectpermission__content_object_id=partnership_id,
            user__partnershipuserobjectpermission__permission__codename=VIEW_PARTNERSHIP,
        )
    return list(
        ManufacturerMembership.objects.filter(manufacturer_id=manufacturer_id, user__is_active=True)
        .filter(Q(role__in=STAFF_ROLES) | reps)
        .select_related("user")
        .distinct()
        .order_by("user__first_name", "user__last_name", "user__email", "pk")
    )


@dataclass(frozen=True)
class InboxFilters:
    kind: str = ""
    # "me", "none" or a user id
    assignee: str = ""
    rep_id: int | None = None
    qualifying_status: str = ""
    unread_only: bool = False


def inbox_filter(
    rows: QuerySet[Conversation], filters: InboxFilters, *, user_id: int
) -> QuerySet[Conversation]:
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.assignee == "me":
        rows = rows.filter(assignee_id=user_id)
    elif filters.assignee == "none":
        rows = rows.filter(assignee__isnull=True)
    elif filters.assignee:
        rows = rows.filter(assignee_id=int(filters.assignee))
    if filters.rep_id is not None:
        rows = rows.filter(
            partnership__rep_permissions__user_id=filters.rep_id,
            partnership__rep_permissions__permission__codename=VIEW_PARTNERSHIP,
        )
    if filters.qualifying_status:
        rows = rows.filter(partnership__qualifying_status=filters.qualifying_status)
    if filters.unread_only:
        read = ConversationRead.objects.filter(
            conversation=OuterRef("pk"), user_id=user_id, read_at__gte=OuterRef("last_message_at")
        )
        rows = rows.filter(~Exists(read))
    return rows


def saved_views(*, membership: ManufacturerMembership) -> list[SavedView]:
    require_viewer(membership)
    return list(
        SavedView.objects.filter(
            manufacturer_id=membership.manufacturer_id, user_id=membership.user_id
        ).order_by("name", "pk")
    )


def access_saved_view(*, membership: ManufacturerMembership, view_id: int) -> SavedView:
    require_viewer(membership)
    view = SavedView.objects.filter(
        manufacturer_id=membership.manufacturer_id, user_id=membership.user_id, pk=view_id
    ).first()
    if view is None:
        raise Http404(_("No such saved view."))
    return view


def partnership_conversations(
    *, membership: ManufacturerMembership, partnership: Partnership, limit: int = 10
) -> list[Conversation]:
    """The reseller's conversation history on their profile, newest first."""
    newest = Message.objects.filter(conversation=OuterRef("pk")).order_by("-created_at", "-pk")
    return list(
        visible_conversations(membership=membership)
        .filter(partnership=partnership)
        .select_related("assignee")
        .annotate(
            message_count=Count("messages"),
            newest_body=Subquery(newest.values("body")[:1]),
        )
        .order_by("-last_message_at", "-pk")[:limit]
    )


def access_attachment(*, membership: ManufacturerMembership, attachment_id: int) -> Attachment:
    """An attachment of a conversation the member may see; one 404 otherwise."""
    require_viewer(membership)
    attachment = (
        Attachment.objects.filter(
            manufacturer_id=membership.manufacturer_id,
            message__conversation__in=visible_conversations(membership=membership),
            pk=attachment_id,
        )
        .select_related("message")
        .first()
    )
    if attachment is None:
        raise Http404(_("No such file."))
    return attachment


def reseller_access_attachment(*, partnership: Partnership, attachment_id: int) -> Attachment:
    """An attachment of a message the reseller may read; one 404 otherwise (an internal
    answer's file is as hidden as the answer)."""
    attachment = (
        Attachment.objects.filter(
            manufacturer_id=partnership.manufacturer_id,
            message__conversation__partnership=partnership,
            pk=attachment_id,
        )
        .filter(reseller_visible_messages_q(prefix="message__"))
        .first()
    )
    if attachment is None:
        raise Http404(_("No such file."))
    return attachment


@dataclass(frozen=True)
class ResponseTimes:
    """How fast the team answered: replies that answered a wait, their mean and longest."""

    answered: int
    average: timedelta | None
    longest: timedelta | None
    waiting_now: int


def response_times(
    *,
    manufacturer_id: int,
    partnership_id: int | None = None,
    since: datetime | None = None,
) -> ResponseTimes:
    """The response-time figure for partner metrics: over the staff replies since `since`
    (all time by default), for one partnership or the whole tenant. Two queries."""
    replies = Message.objects.filter(manufacturer_id=manufacturer_id, answered_after__isnull=False)
    waiting = Conversation.objects.filter(
        manufacturer_id=manufacturer_id, awaiting_since__isnull=False, mark=""
    )
    if partnership_id is not None:
        replies = replies.filter(conversation__partnership_id=partnership_id)
        waiting = waiting.filter(partnership_id=partnership_id)
    if since is not None:
        replies = replies.filter(created_at__gte=since)
    figures = replies.aggregate(
        answered=Count("pk"), average=Avg("answered_after"), longest=Max("answered_after")
    )
    return ResponseTimes(
        answered=figures["answered"],
        average=figures["average"],
        longest=figures["longest"],
        waiting_now=waiting.count(),
    )
