"""Pages of the topic threads for the portal benchmark: (label, path, account or None).

With `seed_demo --size large`: the topic list, a topic page with 600 threads, a page of the
100-post thread, and a search over 60,000 posts.
"""

DEMO_MEMBER = "alice@example.org"


def pages():
    from .demo import LONG_THREAD_TITLE
    from .models import Thread

    long_thread = Thread.objects.filter(title=LONG_THREAD_TITLE).values_list("pk", flat=True)
    pages = [
        ("topic list", "/topics/", DEMO_MEMBER),
        ("topic page", "/topics/watermarking-provenance/", DEMO_MEMBER),
        ("search", "/search/?q=watermark", DEMO_MEMBER),
    ]
    if long_thread:
        pages.append(
            ("thread page (100 posts)", f"/topics/thread/{long_thread[0]}/?page=2", DEMO_MEMBER)
        )
    return pages
