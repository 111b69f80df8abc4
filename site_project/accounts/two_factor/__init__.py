"""Optional two-factor authentication for the Wagtail admin, with django-otp.

A staff member enrols from their account page (an authenticator app, with the secret shown as text and as an
otpauth:// link: no QR image, nothing fetched from another host) and receives ten single-use backup codes.
From then on `TwoFactorMiddleware` asks for a code after every password sign-in before any admin page opens.
Members who never enrolled sign in with their password as before.
"""
