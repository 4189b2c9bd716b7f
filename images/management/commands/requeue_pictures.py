from django.core.management.base import BaseCommand

from images.tasks import LEASE, requeue_pictures


class Command(BaseCommand):
    help = (
        "Enqueue again the renditions of every picture still processing that no "
        f"worker holds (never taken on, or taken on over {LEASE} ago by a worker "
        "that died). Safe at any time: a duplicate task finds its picture ready."
    )

    def handle(self, *args, **options):
        requeued = requeue_pictures()
        self.stdout.write(
            f"Enqueued {requeued.pictures} picture"
            f"{'s' if requeued.pictures != 1 else ''} waiting for renditions; "
            f"marked {requeued.lost_tasks} task"
            f"{'s' if requeued.lost_tasks != 1 else ''} of a dead worker failed."
        )
