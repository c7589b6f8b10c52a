"""The partnership, the reseller's end customers and the partnership permission tables move
here from `resellers` and `salesreps` without touching a row.

The tables were renamed to channel_* by resellers 0003 and salesreps 0002; this migration
only tells Django's state that the models now belong to `channel`, and moves their content
types so that existing django-guardian permissions keep pointing at the same objects.
"""

import django.core.validators
import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


MOVED_MODELS = (
    ("resellers", "partnership"),
    ("resellers", "endcustomer"),
    ("salesreps", "partnershipuserobjectpermission"),
    ("salesreps", "partnershipgroupobjectpermission"),
)


def move_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for app_label, model in MOVED_MODELS:
        content_type.objects.filter(app_label=app_label, model=model).update(app_label="channel")


def restore_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for app_label, model in MOVED_MODELS:
        content_type.objects.filter(app_label="channel", model=model).update(app_label=app_label)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0001_initial'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('catalog', '0002_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('resellers', '0003_partnership_tables_to_channel'),
        ('salesreps', '0002_permission_tables_to_channel'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Partnership',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('active', 'Active'), ('suspended', 'Suspended'), ('ended', 'Ended')], default='active', max_length=20, verbose_name='status')),
                        ('qualifying_status', models.CharField(choices=[('pending', 'Pending'), ('qualified', 'Qualified'), ('not_qualified', 'Not qualified')], default='pending', max_length=20, verbose_name='qualifying status')),
                        ('discount_percent', models.DecimalField(decimal_places=2, default=Decimal('0.00'), max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('100'))], verbose_name='discount (%)')),
                        ('payment_method', models.CharField(choices=[('invoice', 'Invoice (30 days)'), ('prepayment', 'Prepayment'), ('direct_debit', 'Direct debit'), ('card', 'Credit card')], default='invoice', max_length=20, verbose_name='payment method')),
                        ('shipping_method', models.CharField(choices=[('standard', 'Standard parcel'), ('express', 'Express'), ('freight', 'Freight / pallet'), ('pickup', 'Pickup')], default='standard', max_length=20, verbose_name='shipping method')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('manufacturer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='partnerships', to='accounts.manufacturer')),
                        ('price_list', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='partnerships', to='catalog.pricelist', verbose_name='price list')),
                        ('reseller', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='partnerships', to='accounts.reseller')),
                    ],
                    options={
                        'verbose_name': 'partnership',
                        'verbose_name_plural': 'partnerships',
                        'ordering': ['reseller__name'],
                    },
                ),
                migrations.CreateModel(
                    name='PartnershipGroupObjectPermission',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('content_object', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='group_permissions', to='channel.partnership')),
                        ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.group')),
                        ('permission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.permission')),
                    ],
                    options={
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='PartnershipUserObjectPermission',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('content_object', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rep_permissions', to='channel.partnership')),
                        ('permission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.permission')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='EndCustomer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('company', models.CharField(blank=True, max_length=200, verbose_name='company')),
                        ('email', models.EmailField(max_length=254, verbose_name='email')),
                        ('phone', models.CharField(blank=True, max_length=40, verbose_name='phone')),
                        ('street', models.CharField(blank=True, max_length=200, verbose_name='street')),
                        ('postal_code', models.CharField(blank=True, max_length=20, verbose_name='postal code')),
                        ('city', models.CharField(blank=True, max_length=100, verbose_name='city')),
                        ('country', models.CharField(blank=True, max_length=100, verbose_name='country')),
                        ('notes', models.TextField(blank=True, verbose_name='notes')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('reseller', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='end_customers', to='accounts.reseller')),
                        ('source_manufacturer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='accounts.manufacturer')),
                    ],
                    options={
                        'verbose_name': 'end customer',
                        'verbose_name_plural': 'end customers',
                        'ordering': ['name'],
                        'constraints': [models.UniqueConstraint(fields=('reseller', 'email'), name='unique_end_customer_email')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='partnership',
                    constraint=models.UniqueConstraint(fields=('manufacturer', 'reseller'), name='unique_partnership'),
                ),
                migrations.AlterUniqueTogether(
                    name='partnershipgroupobjectpermission',
                    unique_together={('group', 'permission', 'content_object')},
                ),
                migrations.AddIndex(
                    model_name='partnershipuserobjectpermission',
                    index=models.Index(fields=['user', 'content_object'], name='rep_perm_user_obj_idx'),
                ),
                migrations.AlterUniqueTogether(
                    name='partnershipuserobjectpermission',
                    unique_together={('user', 'permission', 'content_object')},
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
