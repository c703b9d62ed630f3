"""gendan: order handling and CRM back office."""
