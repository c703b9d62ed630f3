"""Realistic demo data for `gendan demo`: loaded once, reproducible (seeded)."""

from __future__ import annotations

import datetime as dt
import os
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from faker import Faker

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.accounts.services import role_groups_sync, user_create
from gendan.catalog.models import PriceKind, Product
from gendan.catalog.services import price_list_create, product_create
from gendan.crm.services.events import EventInput, events_record
from gendan.documents.models import DocumentKind
from gendan.documents.selectors import document_ready, order_document_kinds
from gendan.documents.services import document_issue
from gendan.logistics.demo_bookings import demo_bookings
from gendan.logistics.demo_carriers import demo_carriers
from gendan.logistics.demo_failures import demo_failures
from gendan.logistics.demo_fleet import demo_fleet
from gendan.logistics.demo_plans import demo_plans
from gendan.orders.models import Order
from gendan.orders.services.registration import LineInput, order_register
from gendan.orders.simulate import order_walk
from gendan.parties.models import Customer, CustomerKind, Store
from gendan.parties.services import ChildChange, contract_create, customer_create, store_create
from gendan.warehouse.demo_counts import demo_counts
from gendan.warehouse.demo_returns import demo_returns
from gendan.warehouse.demo_stock import demo_stock

DEMO_PASSWORD = "gendan-demo"
CONTRACT_KINDS = (CustomerKind.SUPERMARKET, CustomerKind.DECORATOR, CustomerKind.PROJECT)
SEED = 20261122
START = dt.date(2026, 1, 1)

# Real places (province, city, district) with a point near their centre, for addresses.
PLACES = [
    ("广东省", "广州市", "天河区", 23.1291, 113.3612),
    ("广东省", "广州市", "番禺区", 22.9378, 113.3842),
    ("广东省", "深圳市", "南山区", 22.5333, 113.9304),
    ("广东省", "深圳市", "龙岗区", 22.7209, 114.2479),
    ("广东省", "佛山市", "顺德区", 22.8059, 113.2934),
    ("广东省", "东莞市", "南城街道", 23.0126, 113.7437),
    ("福建省", "厦门市", "思明区", 24.4455, 118.0822),
    ("福建省", "福州市", "鼓楼区", 26.0822, 119.2966),
    ("广西壮族自治区", "南宁市", "青秀区", 22.7856, 108.4941),
    ("海南省", "海口市", "龙华区", 20.0310, 110.3283),
    ("湖南省", "长沙市", "岳麓区", 28.2352, 112.9311),
    ("浙江省", "杭州市", "西湖区", 30.2594, 120.1300),
    ("上海市", "上海市", "浦东新区", 31.2215, 121.5441),
    ("北京市", "北京市", "朝阳区", 39.9215, 116.4431),
]
ESTATES = ["花园", "苑", "新村", "华庭"]
SUPERMARKETS = ["百安居", "华美乐"]
DECORATORS = [
    "广州星艺装饰工程有限公司",
    "深圳名雕装饰股份有限公司",
    "厦门海翼装饰设计工程有限公司",
]
PROJECTS = ["佛山碧桂园凤凰城三期精装项目", "南宁万科城教师公寓项目"]
FLOORS = [
    ("碳化平压竹地板", "wide", 960, 123, Decimal("17")),
    ("本色平压竹地板", "wide", 960, 123, Decimal("17")),
    ("碳化侧压竹地板", "narrow", 960, 96, Decimal("15")),
    ("本色侧压竹地板", "narrow", 960, 96, Decimal("15")),
    ("重竹户外地板", "other", 1860, 140, Decimal("20")),
    ("竹木复合地板", "wide", 910, 127, Decimal("15")),
]
COLOURS = ["T-601", "T-602", "N-301", "N-302", "C-808"]
ACCESSORIES = [
    ("SK-80", "竹质踢脚线 80mm", "skirting", "metre", Decimal("2.4"), Decimal("18")),
    ("SK-100", "竹质踢脚线 100mm", "skirting", "metre", Decimal("2.4"), Decimal("22")),
    ("ET-T", "T型收口条", "edge_trim", "metre", Decimal("0.9"), Decimal("15")),
    ("ET-L", "L型收口条", "edge_trim", "metre", Decimal("0.9"), Decimal("15")),
    ("CL-01", "不锈钢地板卡扣", "clip", "piece", Decimal("100"), Decimal("0.3")),
    ("FM-3", "3mm防潮地垫膜", "foam", "roll", Decimal("100"), Decimal("3")),
    ("PW-12", "夹板条 12mm", "plywood_strip", "piece", Decimal("20"), Decimal("2.5")),
    ("IP-500", "防虫粉 500g", "insect_powder", "bag", Decimal("1"), Decimal("8")),
]
# A delivery's load (O-43): a board's kg per m² by its thickness in mm (bamboo pressed flat or
# on edge ≈ 0.85 g/cm³, the outdoor strand-woven bamboo ≈ 1.15 g/cm³), an accessory's kg per
# unit (a metre of skirting or trim, a clip, a roll of foam, a strip, a 500 g bag).
BOARD_KG_PER_M2 = {
    Decimal("15"): Decimal("13"), Decimal("17"): Decimal("14.5"), Decimal("20"): Decimal("23"),
}  # fmt: skip
ACCESSORY_KG = {
    "SK-80": Decimal("0.4"), "SK-100": Decimal("0.5"), "ET-T": Decimal("0.3"),
    "ET-L": Decimal("0.3"), "CL-01": Decimal("0.002"), "FM-3": Decimal("3"),
    "PW-12": Decimal("0.5"), "IP-500": Decimal("0.5"),
}  # fmt: skip
# Each price kind as a share of the retail price.
PRICE_FACTORS = {
    PriceKind.RETAIL: Decimal("1.00"),
    PriceKind.SUPERMARKET_SHELF: Decimal("0.98"),
    PriceKind.GROUP_BUY: Decimal("0.85"),
    PriceKind.PROJECT: Decimal("0.72"),
    PriceKind.DECORATOR_CONTRACT: Decimal("0.75"),
    PriceKind.SUPERMARKET_SETTLEMENT: Decimal("0.68"),
    PriceKind.DEALER_SETTLEMENT: Decimal("0.62"),
}


def demo_loaded() -> bool:
    return User.objects.filter(username=Role.CLERK.value).exists()


@transaction.atomic
def demo_load(shop_customers: int | None = None) -> bool:
    """Load the demo once; False when it is already there.

    The online shop gets ``shop_customers`` customers (GENDAN_DEMO_SHOP_CUSTOMERS, 20,000 by
    default) and a year of their events.
    """
    if demo_loaded():
        return False
    role_groups_sync()
    fake = Faker("zh_CN")
    Faker.seed(SEED)
    rng = random.Random(SEED)
    stock_rng = random.Random(SEED + 1)  # its own: the orders stay as they were
    admin = user_create(
        actor=None,
        username="admin",
        password=DEMO_PASSWORD,
        name="系统管理员",
        roles=set(),
        is_superuser=True,
    )
    products = demo_products(admin, rng)
    partners = demo_partners(admin, fake, rng)
    demo_price_lists(admin, products, partners)
    demo_homeowners(admin, fake, rng, partners["dealer"] + partners["supermarket"], 200)
    demo_contracts(admin, partners["other"][3:])
    demo_online(admin, fake, rng, 10)
    users = demo_users(admin, fake, partners)
    if shop_customers is None:
        shop_customers = int(os.environ.get("GENDAN_DEMO_SHOP_CUSTOMERS", "20000"))
    demo_shop(fake, rng, [product for product, _price in products], shop_customers)
    # Stock by batch before the orders walk, so their delivery notes reserve from it (O-58).
    demo_stock(users[Role.WAREHOUSE], [product for product, _price in products], stock_rng)
    demo_fleet(users[Role.LOGISTICS], users[Role.DRIVER], DEMO_PASSWORD)  # trucks, zones
    demo_orders(users, partners, [product for product, _price in products], rng)
    demo_counts(users[Role.WAREHOUSE])  # a move to the seconds, a count waiting for approval
    demo_returns(users)  # a self-pickup before its note (O-61), a return's refund to sign (O-63)
    demo_carriers(users[Role.LOGISTICS])  # beyond the trucks' reach: a carrier (O-23)
    demo_bookings(users[Role.CLERK])  # today's and tomorrow's deliveries booked (O-41, O-42)
    demo_plans(users[Role.LOGISTICS])  # tomorrow's routes planned and published (O-43)
    demo_failures(users)  # a failed drop told to its customer (O-44), a freight to pay (O-23)
    return True


def demo_products(actor: User, rng: random.Random) -> list[tuple[Product, Decimal]]:
    """22 floors and 8 accessories, with their retail prices."""
    products = []
    for index in range(22):
        variety, board, length, width, thickness = FLOORS[index % len(FLOORS)]
        colour = COLOURS[index % len(COLOURS)]
        fields = {
            "sku": f"ZF-{index + 101}", "name": f"{variety} {colour}", "category": "flooring",
            "variety": variety, "colour_code": colour, "length_mm": length, "width_mm": width,
            "thickness_mm": thickness, "board_class": board,
            "grade": rng.choice(["premium", "first"]), "unit": "m2",
            "weight_kg": BOARD_KG_PER_M2[thickness],
            "pack_size": Decimal("2.36") if board == "wide" else Decimal("1.84"),
            "after_sales_terms": "地板质保十年；安装后一年内免费维修。",
        }  # fmt: skip
        price = Decimal(rng.randrange(168, 398))
        products.append((product_create(actor=actor, fields=fields), price))
    for sku, name, category, unit, pack, price in ACCESSORIES:
        fields = {
            "sku": sku, "name": name, "category": category, "unit": unit, "pack_size": pack,
            "weight_kg": ACCESSORY_KG[sku], "after_sales_terms": "辅料随地板保修。",
        }  # fmt: skip
        products.append((product_create(actor=actor, fields=fields), price))
    return products


def demo_address(fake: Faker, rng: random.Random) -> dict[str, object]:
    province, city, district, lat, lng = rng.choice(PLACES)
    return {
        "province": province, "city": city, "district": district,
        "street": f"{fake.street_name()}{rng.randint(1, 999)}号",
        "building": f"{fake.last_name()}{rng.choice(ESTATES)}{rng.randint(1, 30)}栋",
        "floor": rng.randint(1, 33),
        "latitude": Decimal(str(round(lat + rng.uniform(-0.05, 0.05), 6))),
        "longitude": Decimal(str(round(lng + rng.uniform(-0.05, 0.05), 6))),
        "is_default": True,
    }  # fmt: skip


def demo_partners(actor: User, fake: Faker, rng: random.Random) -> dict[str, list[Customer]]:
    partners: dict[str, list[Customer]] = {"supermarket": [], "dealer": [], "other": []}
    for chain in SUPERMARKETS:
        customer = demo_customer(actor, fake, rng, CustomerKind.SUPERMARKET, f"{chain}（华南区）")
        for number in range(3):
            demo_store(
                actor, customer, fake, rng, f"{chain}{rng.choice(PLACES)[2]}{number + 1}号店"
            )
        partners["supermarket"].append(customer)
    for _number in range(8):
        name = f"{fake.city_name()}{fake.last_name()}氏竹地板经销部"
        dealer = demo_customer(actor, fake, rng, CustomerKind.DEALER, name)
        demo_store(actor, dealer, fake, rng, f"{name}门店")
        partners["dealer"].append(dealer)
    for name in DECORATORS:
        partners["other"].append(demo_customer(actor, fake, rng, CustomerKind.DECORATOR, name))
    for name in PROJECTS:
        partners["other"].append(demo_customer(actor, fake, rng, CustomerKind.PROJECT, name))
    return partners


def demo_customer(
    actor: User, fake: Faker, rng: random.Random, kind: CustomerKind, name: str
) -> Customer:
    contact = {
        "name": fake.name(),
        "title": "采购经理",
        "mobile": fake.phone_number(),
        "is_primary": True,
    }
    return customer_create(
        actor=actor,
        fields={
            "kind": kind,
            "name": name,
            "landline": demo_landline(rng),
            "mobile": fake.phone_number(),
        },
        contacts=[ChildChange(instance=None, fields=contact)],
        addresses=[ChildChange(instance=None, fields=demo_address(fake, rng))],
    )


def demo_landline(rng: random.Random) -> str:
    return f"020-{rng.randint(3, 8)}{rng.randint(0, 9999999):07d}"


def demo_store(
    actor: User, customer: Customer, fake: Faker, rng: random.Random, name: str
) -> Store:
    address = demo_address(fake, rng)
    address.pop("is_default")
    fields = {"name": name, "landline": demo_landline(rng), **address}
    return store_create(actor=actor, customer=customer, fields=fields)


def demo_price_lists(
    actor: User, products: list[tuple[Product, Decimal]], partners: dict[str, list[Customer]]
) -> None:
    """A general list per price kind, and contract lists for the first few partners."""
    for kind, factor in PRICE_FACTORS.items():
        items = [
            (product, (price * factor).quantize(Decimal("0.01"))) for product, price in products
        ]
        fields = {"name": f"2026年{kind.label}", "kind": kind, "valid_from": START}
        price_list_create(actor=actor, fields=fields, items=items)
    contracts = [
        (partners["supermarket"][0], PriceKind.SUPERMARKET_SETTLEMENT, Decimal("0.66")),
        (partners["supermarket"][0], PriceKind.SUPERMARKET_SHELF, Decimal("0.99")),
        (partners["dealer"][0], PriceKind.DEALER_SETTLEMENT, Decimal("0.60")),
        (partners["other"][0], PriceKind.DECORATOR_CONTRACT, Decimal("0.73")),
        (partners["other"][3], PriceKind.PROJECT, Decimal("0.70")),
    ]
    for customer, kind, factor in contracts:
        items = [
            (product, (price * factor).quantize(Decimal("0.01"))) for product, price in products
        ]
        fields = {
            "name": f"{customer.name} {kind.label}",
            "kind": kind,
            "customer": customer,
            "valid_from": START,
        }
        price_list_create(actor=actor, fields=fields, items=items)


def demo_homeowners(
    actor: User, fake: Faker, rng: random.Random, partners: list[Customer], count: int
) -> None:
    """Homeowners: half came through a dealer or supermarket, half to the company directly."""
    for number in range(count):
        via = rng.choice(partners) if number % 2 else None
        fields = {
            "kind": CustomerKind.HOMEOWNER,
            "name": fake.name(),
            "mobile": fake.phone_number(),
            "via": via,
        }
        customer_create(
            actor=actor,
            fields=fields,
            addresses=[ChildChange(instance=None, fields=demo_address(fake, rng))],
        )


def demo_contracts(actor: User, projects: list[Customer]) -> None:
    """Each project client's contract, paid in four stages with a warranty retention."""
    stages = [
        {"name": "预付款", "percent": Decimal("30"), "due_on": START},
        {"name": "到货款", "percent": Decimal("40")},
        {"name": "验收款", "percent": Decimal("25")},
        {"name": "质保金", "percent": Decimal("5"), "is_retention": True},
    ]
    for number, project in enumerate(projects, start=1):
        fields = {
            "number": f"HT-2026-{number:03d}",
            "title": f"{project.name}竹地板供货及安装合同",
            "signed_on": START,
            "amount": Decimal(680_000 * number),
        }
        contract_create(actor=actor, customer=project, fields=fields, stages=stages)


def demo_online(actor: User, fake: Faker, rng: random.Random, count: int) -> None:
    """Buyers from the online shop, known by their platform id and nickname."""
    for number in range(count):
        fields = {
            "kind": CustomerKind.ONLINE,
            "name": fake.name(),
            "mobile": fake.phone_number(),
            "platform": rng.choice(["tmall", "jd", "douyin"]),
            "platform_id": f"u{SEED + number}",
            "nickname": fake.user_name(),
        }
        customer_create(actor=actor, fields=fields)


def demo_users(actor: User, fake: Faker, partners: dict[str, list[Customer]]) -> dict[Role, User]:
    """One user per role, named by the role; partner roles belong to the first partners."""
    partner_of = {
        Role.DEALER: partners["dealer"][0],
        Role.STORE_STAFF: partners["dealer"][0],
        Role.PROMOTER: partners["supermarket"][0],
    }
    users = {}
    for role in Role:
        users[role] = user_create(
            actor=actor, username=role.value, password=DEMO_PASSWORD, name=fake.name(),
            roles={role}, partner=partner_of.get(role),
        )  # fmt: skip
    return users


def demo_orders(
    users: dict[Role, User],
    partners: dict[str, list[Customer]],
    products: list[Product],
    rng: random.Random,
    count: int = 60,
) -> None:
    """Orders of the last two weeks, each walked some way along its route."""
    today = timezone.localdate()
    orders: list[Order] = []
    customers = partners["supermarket"] + partners["dealer"] + partners["other"]
    for number in range(count):
        customer = rng.choice(customers)
        homeowners = list(customer.end_customers.all()[:20])
        fields = {
            "customer": customer,
            "end_customer": rng.choice(homeowners) if homeowners else None,
            "needs_installation": rng.random() < 0.5,
            "payment_method": rng.choice(["bank_transfer", "cash", "wechat", "alipay"]),
            "payment_terms": "contract" if customer.kind in CONTRACT_KINDS else "prepay",
            "expected_delivery_on": today + dt.timedelta(days=rng.randint(-3, 12)),
            "expected_install_on": today + dt.timedelta(days=rng.randint(10, 20)),
            "contact_phone": customer.phone,
            "contract": customer.contracts.first(),
            **{k: v for k, v in demo_address_plain(customer).items()},
        }
        # O-11: a dealer's price to its homeowner, for the profit note
        dealer = customer.kind == CustomerKind.DEALER
        lines = [
            LineInput(
                product=product, quantity=Decimal(rng.randint(5, 120)),
                end_price=Decimal(rng.randint(120, 260)) if dealer else None,
            )
            for product in rng.sample(products, rng.randint(1, 4))
        ]  # fmt: skip
        day = today - dt.timedelta(days=(count - number) // 5)
        order = order_register(actor=users[Role.CLERK], fields=fields, lines=lines, on=day)
        orders.append(order_walk(order, users, steps=rng.randint(0, 14)))
    demo_documents(users[Role.CLERK], orders)


def demo_documents(clerk: User, orders: list[Order], count: int = 3) -> None:
    """A few orders with their papers printed, so the order pages show documents issued."""
    ready = [o for o in orders if document_ready(o, DocumentKind.DELIVERY_NOTE)][:count]
    kinds = (DocumentKind.ORDER_FORM, DocumentKind.DELIVERY_NOTE, DocumentKind.PROFIT_NOTE)
    for order in ready:
        for kind in kinds:
            if kind in order_document_kinds(order):
                document_issue(actor=clerk, order=order, kind=kind)


def demo_address_plain(customer: Customer) -> dict[str, object]:
    address = customer.addresses.first()
    keys = ("province", "city", "district", "street", "building", "floor", "latitude", "longitude")
    return {key: getattr(address, key) for key in keys}


SHOP_PLATFORMS = ["tmall", "jd", "douyin"]
SHOP_SOURCES = ["tmall", "jd", "douyin", "weibo_campaign", "wechat_group"]


def demo_shop(fake: Faker, rng: random.Random, products: list[Product], count: int) -> None:
    """An online shop's customers and two years of their events (E-1 to E-13 show real data)."""
    now = timezone.now()
    customers = Customer.objects.bulk_create(
        [
            Customer(
                kind=CustomerKind.ONLINE,
                name=fake.name(),
                nickname=fake.user_name(),
                platform=SHOP_PLATFORMS[n % 3],
                platform_id=f"shop{n:06d}",
                mobile=fake.phone_number() if rng.random() < 0.4 else "",
                **demo_profile(rng),
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
    rows = [row for customer in customers for row in demo_shop_events(customer, rng, products, now)]
    for start in range(0, len(rows), 5000):
        events_record(rows=rows[start : start + 5000])


# Where the shop's buyers live (E-7), most of them in South China, with a weight each.
SHOP_REGIONS = [
    ("广东省", "广州市", 14), ("广东省", "深圳市", 12), ("广东省", "佛山市", 8),
    ("广东省", "东莞市", 6), ("广西壮族自治区", "南宁市", 5), ("福建省", "厦门市", 5),
    ("福建省", "福州市", 4), ("湖南省", "长沙市", 5), ("浙江省", "杭州市", 6),
    ("江苏省", "南京市", 4), ("上海市", "上海市", 6), ("北京市", "北京市", 5),
    ("四川省", "成都市", 5), ("湖北省", "武汉市", 4), ("", "", 6),
]  # fmt: skip


def demo_profile(rng: random.Random) -> dict[str, object]:
    """What a platform tells about a buyer: gender, year of birth, province and city."""
    province, city, _weight = rng.choices(SHOP_REGIONS, [r[2] for r in SHOP_REGIONS])[0]
    known_age = rng.random() < 0.85
    return {
        "gender": rng.choice(["f", "f", "m", ""]),
        "birth_year": int(rng.triangular(1955, 2008, 1990)) if known_age else None,
        "province": province,
        "city": city,
    }


def demo_shop_events(
    customer: Customer, rng: random.Random, products: list[Product], now: dt.datetime
) -> list[EventInput]:
    """Plausible years: most people only look, some buy, a few buy often."""
    source = rng.choice(SHOP_SOURCES)
    # Two years, so that RFM has buyers past its period too (R1, "lost").
    first = now - dt.timedelta(days=rng.randint(0, 729), hours=rng.randint(0, 23))

    def event(kind: str, at: dt.datetime, **fields: object) -> EventInput:
        return EventInput(kind=kind, at=at, customer_id=customer.pk, source=source, **fields)

    rows = [event(rng.choice(INTERESTS), first)]
    for _n in range(rng.randint(0, 4)):
        later = demo_after(first, now, rng)
        rows.append(event(rng.choice(INTERESTS), later, item=rng.choice(products).sku))
    if rng.random() < 0.2:
        rows.append(event("card_claimed", demo_after(first, now, rng)))
    purchases = 0 if rng.random() < 0.6 else min(int(rng.paretovariate(1.2)), 25)
    for _n in range(purchases):
        bought = {"item": rng.choice(products).sku, "quantity": rng.randint(1, 6)}
        amount = Decimal(rng.randint(60, 3000))
        rows.append(event("order_paid", demo_after(first, now, rng), amount=amount, **bought))
    return rows


def demo_after(first: dt.datetime, now: dt.datetime, rng: random.Random) -> dt.datetime:
    return first + (now - first) * rng.random()


INTERESTS = ["favourite_shop", "favourite_item", "add_to_cart", "add_to_cart", "qr_scan"]


def demo_users_table(bind: str = "127.0.0.1:8000") -> str:
    rows = [f"  {'user':<18} {'password':<14} role"]
    rows.append(f"  {'admin':<18} {DEMO_PASSWORD:<14} superuser (Django admin)")
    for role in Role:
        rows.append(f"  {role.value:<18} {DEMO_PASSWORD:<14} {role.label}")
    return f"Sign in at http://{bind}/ with one of:\n" + "\n".join(rows)
