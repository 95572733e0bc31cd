from ninja import Router

router = Router(tags=["排查研判"])
