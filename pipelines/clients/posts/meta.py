"""Instagram and Facebook Page posts through Graph batch calls: list, then per-post insights and comments.

Step 1: one batch item per account lists its posts of the observation window (`since`/`until`, newest first;
`paging.next` followed on the API's own origin until it is absent). Step 2: one item per post for its
lifetime insights and, with comments, one for its comments with their replies (the replies' `from.id` is
compared with the account's own id; no name or text is kept). Items go 50 to a batch call, whatever account
they belong to; a post whose insights are refused alone (`(#10) Not enough viewers`) keeps null metrics.
"""

from collections.abc import Hashable
from typing import ClassVar

from pipelines.clients.base import FetchContext
from pipelines.clients.meta import GraphItem
from pipelines.clients.posts.base import (
    AccountPosts,
    CommentValues,
    ObservationWindow,
    PostFetcher,
    PostValues,
    first_reply_by,
    parse_time,
)
from pipelines.clients.types import AUTH_FAILED, FAILED, Fail, Ok, Resolved
from pipelines.registry import Account

LIST_LIMIT = 100
COMMENTS_LIMIT = 50
MAX_COMMENT_PAGES = 4  # 200 comments per post and day: enough for a reply rate (a sample beyond, documented)


class MetaPostFetcher(PostFetcher):
    """What differs between Instagram and Facebook is declared by the subclass: the list edge and its fields,
    how a listed post reads, the insight metrics, and the comments edge."""

    list_edge: str
    list_fields: str
    insight_metrics: ClassVar[dict[str, str]]  # native metric -> conformed
    comment_fields: str
    time_field: str
    replies_key: str

    def listed_post(self, item: dict) -> PostValues:
        raise NotImplementedError

    def fetch_posts_batch(
        self, batch: list[Account], ctx: FetchContext, window: ObservationWindow, comments: bool
    ):
        lists = {
            a.account_id: GraphItem(
                f"{a.platform_user_id}/{self.list_edge}",
                {
                    "fields": self.list_fields,
                    "since": window.since,
                    "until": window.until,
                    "limit": LIST_LIMIT,
                },
                self.token_for(a),
            )
            for a in batch
        }
        listed = self.batch_get(ctx, lists)
        out: dict[str, Resolved] = {}
        posts: dict[str, list[PostValues]] = {}
        for a in batch:
            data = self._all_pages(ctx, listed[a.account_id], max_pages=self.posts_spec.max_pages)
            if isinstance(data, Resolved):
                out[a.account_id] = data
            else:
                posts[a.account_id] = [self.listed_post(item) for item in data]
        items: dict[Hashable, GraphItem] = {}
        by_id = {a.account_id: a for a in batch}
        for aid, plist in posts.items():
            token = self.token_for(by_id[aid])
            for p in plist:
                metric = ",".join(self.insight_metrics)
                items[(aid, p.post_id, "insights")] = GraphItem(
                    f"{p.post_id}/insights", {"metric": metric}, token
                )
                if comments:
                    params = {"fields": self.comment_fields, "limit": COMMENTS_LIMIT}
                    if self.platform == "facebook":
                        params["filter"] = "toplevel"
                    items[(aid, p.post_id, "comments")] = GraphItem(f"{p.post_id}/comments", params, token)
        got = self.batch_get(ctx, items)
        for aid, plist in posts.items():
            out[aid] = self._account(ctx, by_id[aid], plist, got, comments)
        return out

    def _account(self, ctx, account: Account, plist: list[PostValues], got: dict, comments: bool) -> Resolved:
        attempts = 1
        comment_values: list[CommentValues] = []
        for p in plist:
            r = got[(account.account_id, p.post_id, "insights")]
            attempts = max(attempts, r.attempts)
            if isinstance(r.verdict, Fail):
                if r.verdict.status == AUTH_FAILED:
                    return r  # the token stopped working: the account's posts of the day are not trustworthy
                continue  # this post alone has no insights (too few viewers, an album child): metrics null
            p.metrics.update(self._insights(r.verdict.value))
            if comments:
                c = got[(account.account_id, p.post_id, "comments")]
                data = self._all_pages(ctx, c, max_pages=MAX_COMMENT_PAGES, partial_ok=True)
                if isinstance(data, Resolved):
                    return data
                comment_values += [self._comment(p.post_id, item, account.platform_user_id) for item in data]
        return Resolved(Ok(AccountPosts(plist, comment_values if comments else None)), attempts)

    def _all_pages(self, ctx, first: Resolved, max_pages: int, partial_ok: bool = False) -> list | Resolved:
        """The `data` of a list and its following pages (paging.next until absent, Graph "Paginated
        Results"). With `partial_ok`, stop quietly after `max_pages` (a sample) instead of failing."""
        r = first
        data: list = []
        for _ in range(max_pages):
            if isinstance(r.verdict, Fail):
                return r
            body = r.verdict.value
            page = body.get("data") if isinstance(body, dict) else None
            if not isinstance(page, list):
                return Resolved(Fail(FAILED, "malformed_item", "list answer without a data array", 200), 1)
            data += page
            nxt = (body.get("paging") or {}).get("next")
            if not nxt:
                return data
            r = self.get_url(ctx, nxt)
        if partial_ok:
            return data
        return Resolved(Fail(FAILED, "paging_loop", f"more than {max_pages} pages of posts"), 1)

    def _insights(self, body: dict) -> dict[str, int | None]:
        out: dict[str, int | None] = {}
        for entry in body.get("data") or []:
            conformed = self.insight_metrics.get(entry.get("name"))
            values = entry.get("values") or []
            if conformed is None or not values:
                continue
            value = values[0].get("value")
            out[conformed] = sum(value.values()) if isinstance(value, dict) else value  # reactions by type
        return out

    def _comment(self, post_id: str, item: dict, own_id: str) -> CommentValues:
        replies = ((item.get(self.replies_key) or {}).get("data")) or []
        pairs = [((r.get("from") or {}).get("id"), r.get(self.time_field)) for r in replies]
        return CommentValues(
            post_id,
            str(item["id"]),
            parse_time(item[self.time_field]),
            first_reply_by(pairs, own_id),
            len(replies),
        )
