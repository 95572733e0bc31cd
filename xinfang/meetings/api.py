from ninja import Router

router = Router(tags=["会议与接待"])
