from __future__ import annotations

import factory

from gendan.parties.models import Address, Contact, Customer, CustomerKind, Store


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    kind = CustomerKind.RETAIL
    name = factory.Faker("name", locale="zh_CN")
    mobile = factory.Sequence(lambda n: f"138{n:08d}")


class DealerFactory(CustomerFactory):
    kind = CustomerKind.DEALER
    name = factory.Sequence(lambda n: f"经销商{n}号")


class SupermarketFactory(CustomerFactory):
    kind = CustomerKind.SUPERMARKET
    name = factory.Sequence(lambda n: f"建材超市{n}号")


class HomeownerFactory(CustomerFactory):
    kind = CustomerKind.HOMEOWNER


class StoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Store

    customer = factory.SubFactory(DealerFactory)
    name = factory.Sequence(lambda n: f"门店{n}")
    province = "广东省"
    city = "广州市"
    district = "天河区"
    street = "天河路385号"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    customer = factory.SubFactory(CustomerFactory)
    name = factory.Faker("name", locale="zh_CN")
    mobile = factory.Sequence(lambda n: f"139{n:08d}")


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    customer = factory.SubFactory(CustomerFactory)
    province = "福建省"
    city = "厦门市"
    district = "思明区"
    street = "湖滨南路88号"
    building = "金榜花园3栋2单元"
    floor = 12
