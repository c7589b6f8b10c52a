"""State only: qualification definitions moved to `catalog`, beside the categories they
unlock; the table was renamed by qualifications 0004."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label="qualifications", model="qualification").update(
        app_label="catalog"
    )


def restore_content_type(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label="catalog", model="qualification").update(
        app_label="qualifications"
    )


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('accounts', '0001_initial'),
        ('catalog', '0002_initial'),
        ('qualifications', '0004_qualification_table_to_catalog'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Qualification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=50, validators=[django.core.validators.RegexValidator(message='Use uppercase letters, digits, dashes and underscores, like PRO-AV-CERTIFIED.', regex='^[A-Z0-9][A-Z0-9_-]{1,49}$')], verbose_name='qualification ID')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('is_default', models.BooleanField(default=False, help_text='Granted by “Qualify” in the communications inbox.', verbose_name='default qualifying code')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('manufacturer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='qualifications', to='accounts.manufacturer')),
                    ],
                    options={
                        'verbose_name': 'qualification',
                        'verbose_name_plural': 'qualifications',
                        'ordering': ['code'],
                    },
                ),
                migrations.AlterField(
                    model_name='category',
                    name='required_qualification',
                    field=models.ForeignKey(blank=True, help_text='Leave empty for an open category every reseller sees.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='restricted_categories', to='catalog.qualification', verbose_name='required qualification'),
                ),
                migrations.AddConstraint(
                    model_name='qualification',
                    constraint=models.UniqueConstraint(fields=('manufacturer', 'code'), name='unique_qualification_code'),
                ),
                migrations.AddConstraint(
                    model_name='qualification',
                    constraint=models.UniqueConstraint(condition=models.Q(('is_default', True)), fields=('manufacturer',), name='one_default_qualification_per_manufacturer'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, restore_content_type),
    ]
