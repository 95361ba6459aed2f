from django.db import models


class Product(models.Model):
    name = models.CharField(max_length=100)
    price = models.DecimalField(max_digits=8, decimal_places=2)
    in_stock = models.BooleanField(default=True)
    # nullable FK into the other app: joins write conj keys for articles_category
    category = models.ForeignKey('articles.Category', null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        app_label = 'shop'


class Order(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE)
    qty = models.IntegerField()

    class Meta:
        app_label = 'shop'
