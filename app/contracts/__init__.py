"""Technology contracts and their registration (技术合同认定登记): see docs/decisions.md."""
