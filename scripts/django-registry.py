# Prints the `models:` registry of a Django project for cacheops' config:
# every model's db_table and pk attname, and the fields cacheops serializes
# for it (attname, column, Django internal type), so that
# `cacheops invalidate app.Model.pk --database URL` reads rows exactly.
#
#   python manage.py shell -v 0 < django-registry.py >> cacheops.yaml
#
# Run it again after a migration that adds, removes or retypes a field.
import json

from django.apps import apps
from django.conf import settings as _settings
from cacheops.invalidation import serializable_fields


def _kind(field):
    # A relation is stored and serialized as its target field.
    while field.is_relation and getattr(field, 'target_field', None) is not None:
        field = field.target_field
    return field, field.get_internal_type()


def _registry():
    lines = ['use_tz: %s' % ('true' if _settings.USE_TZ else 'false'), 'models:']
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy:
            continue
        lines.append('  %s:' % json.dumps('%s.%s' % (meta.app_label, meta.object_name)))
        lines.append('    db_table: %s' % json.dumps(meta.db_table))
        lines.append('    pk: %s' % json.dumps(meta.pk.attname))
        lines.append('    fields:')
        for f in sorted(serializable_fields(model), key=lambda f: f.attname):
            target, kind = _kind(f)
            spec = {'attname': f.attname, 'column': f.column, 'type': kind}
            if kind == 'DecimalField':
                spec['decimal_places'] = target.decimal_places
            lines.append('      - ' + json.dumps(spec))
    return '\n'.join(lines)


print(_registry())
