from django.db import models


class Widget(models.Model):
    # table shop_extra_widget starts with "shop_": invalidating app "shop" must leave it alone
    name = models.CharField(max_length=50)

    class Meta:
        app_label = 'shop_extra'
