from django.db import models


class Category(models.Model):
    title = models.CharField(max_length=100)

    class Meta:
        app_label = 'articles'


class Tag(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        app_label = 'articles'


class Article(models.Model):
    title = models.CharField(max_length=200)
    category = models.ForeignKey(Category, on_delete=models.CASCADE)
    is_published = models.BooleanField(default=False)
    published_on = models.DateField(null=True, blank=True)
    score = models.FloatField(default=0.0)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    body = models.TextField(blank=True)  # a CACHEOPS_SKIP_FIELDS type: never in conj keys
    created = models.DateTimeField()
    tags = models.ManyToManyField(Tag)  # auto-created through table articles_article_tags

    class Meta:
        app_label = 'articles'


class UuidItem(models.Model):
    id = models.UUIDField(primary_key=True)
    name = models.CharField(max_length=50)
    rank = models.IntegerField(default=0)

    class Meta:
        app_label = 'articles'


class BigThing(models.Model):
    # pks above 1e14: classic cacheops renders them through Lua's %.14g
    id = models.BigIntegerField(primary_key=True)
    name = models.CharField(max_length=50)
    weight = models.BigIntegerField(default=0)

    class Meta:
        app_label = 'articles'


class LegacyThing(models.Model):
    code = models.CharField(max_length=50)
    active = models.BooleanField(default=True)

    class Meta:
        app_label = 'articles'
        db_table = 'legacy_things'
