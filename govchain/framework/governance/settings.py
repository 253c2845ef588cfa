"""The committee's parameters: the demo's short delays on the local chain, realistic ones elsewhere.

Every parameter can be changed later by a committee decision (``setVotingPeriod``,
``setThreshold``, the timelock's ``updateDelay`` ...); these are only the values a deployment
starts with.
"""

from __future__ import annotations

from dataclasses import dataclass

from govchain.config import is_dev_chain

#: The committee's seats, timelock and governor, as named in the address book.
SEATS = "CommitteeSeats"
TIMELOCK = "CommitteeTimelock"
GOVERNOR = "GovCommittee"
#: The timelock's display name in the participant directory (it holds the administrator role).
TIMELOCK_NAME = "GovChain Governance Committee (timelock)"

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR


@dataclass(frozen=True)
class GovernanceSettings:
    voting_delay: int  # seconds between a proposal and the start of its vote
    voting_period: int  # seconds the vote lasts
    timelock_delay: int  # seconds between queueing a passed proposal and its execution
    threshold: int  # "for" votes a proposal needs (a number of seats)


#: The local demo: 3 of 5 seats, the vote open at once for 60 s, then a 60 s timelock.
DEV = GovernanceSettings(voting_delay=0, voting_period=MINUTE, timelock_delay=MINUTE, threshold=3)
#: Any other chain: a day's notice before the vote, three days to vote, two days' timelock.
PRODUCTION = GovernanceSettings(
    voting_delay=DAY, voting_period=3 * DAY, timelock_delay=2 * DAY, threshold=3
)


def settings_for(chain_id: int) -> GovernanceSettings:
    """The starting parameters for a deployment on ``chain_id``."""
    return DEV if is_dev_chain(chain_id) else PRODUCTION
