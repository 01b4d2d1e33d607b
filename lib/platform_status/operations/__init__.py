"""What operators run around a deployment: the .env check before deploying, the doctor after."""
