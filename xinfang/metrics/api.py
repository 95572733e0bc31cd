from ninja import Router

router = Router(tags=["三降四升五不"])
