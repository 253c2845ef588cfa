"""The case machinery: declarative case specs, the registry, the generic client and errors.

Case contracts inherit ``CaseBase`` (contracts/core/CaseBase.sol); each case package under
:mod:`govchain.cases` registers a :class:`~govchain.framework.casebase.spec.CaseSpec`.
"""
