"""What people write to and about a brand, and what Cadran recommends, in French and English.

Every message template carries its sentiment label so that the label, the score drawn in the
label's band and the text always agree. Kinds: praise, question, complaint and neutral remark.
"""

from __future__ import annotations

KINDS = ("praise", "question", "complaint", "remark")
LABELS = ("negative", "neutral", "positive")  # ENUM order of sentiment_label

# (label, template); "?" in a template makes the message a question.
MESSAGES: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {
    "fr": {
        "praise": (
            ("positive", "Magnifique 😍"),
            ("positive", "Trop beau, j'adore !"),
            ("positive", "Reçu hier : {the_product} est un sans-faute. Merci {brand} !"),
            ("positive", "Toujours au top, bravo à toute l'équipe 👏"),
            ("positive", "Votre {product}, c'est mon coup de cœur, je ne m'en lasse pas."),
            ("positive", "Service client adorable et livraison rapide, merci !"),
            ("positive", "Superbe qualité, je recommande les yeux fermés."),
            ("positive", "Ça donne envie ! ❤️"),
            ("positive", "Enfin une marque qui fait les choses bien."),
            ("positive", "Déjà mon troisième achat chez {brand}, jamais déçue."),
            ("neutral", "Joli, à voir en vrai."),
            ("neutral", "Pas mal du tout."),
        ),
        "question": (
            ("neutral", "Votre {product} existe-t-il dans une autre couleur ?"),
            ("neutral", "Vous livrez en Belgique ?"),
            ("neutral", "C'est dispo en boutique ou seulement en ligne ?"),
            ("neutral", "Quel est le délai de livraison en ce moment ?"),
            ("neutral", "Le code promo marche aussi sur {the_product} ?"),
            ("neutral", "Vous avez un guide des tailles ?"),
            ("neutral", "Quand est-ce que {the_product} revient en stock ?"),
            ("positive", "Trop beau ! Ce sera dispo quand ? 😍"),
            ("positive", "J'adore, vous faites des cartes cadeaux ?"),
            ("negative", "Toujours pas de réponse à mon mail, quelqu'un peut m'aider ?"),
            ("negative", "Pourquoi le prix a encore augmenté ?"),
        ),
        "complaint": (
            ("negative", "Commande passée il y a 10 jours et toujours rien reçu 😡"),
            ("negative", "Commande reçue abîmée ({the_product}), très déçue."),
            ("negative", "Impossible de joindre le service client, c'est inadmissible."),
            ("negative", "La qualité a vraiment baissé, dommage."),
            ("negative", "Colis perdu et aucune réponse depuis une semaine."),
            ("negative", "On m'a débité deux fois ma commande !"),
            ("negative", "Remboursement promis il y a un mois, toujours rien."),
            ("negative", "Le code promo ne fonctionne pas, c'est agaçant."),
            ("negative", "Taille qui ne correspond pas du tout au guide, et retour payant…"),
            ("neutral", "Petit souci avec ma commande, je vous écris en privé."),
            ("neutral", "Le suivi du colis ne se met pas à jour depuis hier."),
        ),
        "remark": (
            ("neutral", "Je l'avais vu passer la semaine dernière."),
            ("neutral", "@{friend} regarde ça"),
            ("neutral", "On en parlait justement ce matin."),
            ("neutral", "Vu en magasin samedi."),
            ("neutral", "Intéressant."),
            ("neutral", "Je vais regarder ça ce week-end."),
            ("neutral", "Ça me rappelle le modèle de l'an dernier."),
            ("positive", "Bonne idée ce format 👍"),
            ("positive", "Sympa la vidéo !"),
            ("negative", "Encore une pub…"),
            ("negative", "Un peu cher pour ce que c'est."),
            ("negative", "Bof, je préférais l'ancienne version."),
        ),
    },
    "en": {
        "praise": (
            ("positive", "Gorgeous 😍"),
            ("positive", "So beautiful, love it!"),
            ("positive", "Got it yesterday, {the_product} is perfect. Thank you {brand}!"),
            ("positive", "Always brilliant, well done to the whole team 👏"),
            ("positive", "Your {product} is my favourite, I never get tired of it."),
            ("positive", "Lovely customer service and fast delivery, thanks!"),
            ("positive", "Great quality, highly recommend."),
            ("positive", "Want it! ❤️"),
            ("positive", "Finally a brand that does things right."),
            ("positive", "Third order from {brand} already, never disappointed."),
            ("neutral", "Nice, would like to see it in person."),
            ("neutral", "Not bad at all."),
        ),
        "question": (
            ("neutral", "Does {the_product} come in another colour?"),
            ("neutral", "Do you ship to Ireland?"),
            ("neutral", "Is it in store or online only?"),
            ("neutral", "How long is delivery at the moment?"),
            ("neutral", "Does the promo code work on {the_product} too?"),
            ("neutral", "Do you have a size guide?"),
            ("neutral", "When will {the_product} be back in stock?"),
            ("positive", "It's so pretty! When will it be available? 😍"),
            ("positive", "Love it, do you do gift cards?"),
            ("negative", "Still no answer to my email, can anyone help?"),
            ("negative", "Why has the price gone up again?"),
        ),
        "complaint": (
            ("negative", "Ordered 10 days ago and still nothing 😡"),
            ("negative", "Order arrived damaged ({the_product}), really disappointed."),
            ("negative", "Impossible to reach customer service, unacceptable."),
            ("negative", "The quality has really dropped, such a shame."),
            ("negative", "Parcel lost and no reply for a week."),
            ("negative", "I was charged twice for my order!"),
            ("negative", "Refund promised a month ago, still nothing."),
            ("negative", "The promo code doesn't work, annoying."),
            ("negative", "Size nothing like the guide, and returns aren't free…"),
            ("neutral", "Small issue with my order, sending you a DM."),
            ("neutral", "Tracking hasn't updated since yesterday."),
        ),
        "remark": (
            ("neutral", "Saw this last week."),
            ("neutral", "@{friend} look at this"),
            ("neutral", "We were just talking about it this morning."),
            ("neutral", "Saw it in store on Saturday."),
            ("neutral", "Interesting."),
            ("neutral", "Will have a look this weekend."),
            ("neutral", "Reminds me of last year's model."),
            ("positive", "Nice idea, this format 👍"),
            ("positive", "Fun video!"),
            ("negative", "Another ad…"),
            ("negative", "A bit pricey for what it is."),
            ("negative", "Meh, I preferred the old version."),
        ),
    },
}

MENTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "fr": {
        "positive": (
            "Coup de cœur pour {the_product} de chez {brand} 😍",
            "Merci {brand} pour l'accueil, on reviendra !",
            "Je recommande {brand} à 100 %, qualité au rendez-vous.",
            "Je viens de recevoir {the_product} de chez {brand}, trop contente !",
            "Belle découverte ce week-end : {brand} ✨",
        ),
        "neutral": (
            "Quelqu'un a déjà testé {the_product} de chez {brand} ?",
            "Repéré chez {brand} : {the_product}.",
            "Nouveauté chez {brand} : {the_product}, à suivre.",
            "Commande passée chez {brand}, on verra bien.",
            "En route pour la boutique {brand}.",
        ),
        "negative": (
            "Très déçue par {brand}, colis toujours pas arrivé.",
            "{brand} ne répond plus aux messages…",
            "{brand} : {the_product} ne vaut vraiment pas son prix.",
            "Service client {brand} aux abonnés absents.",
        ),
    },
    "en": {
        "positive": (
            "Totally in love with {the_product} from {brand} 😍",
            "Thanks {brand} for the welcome, we'll be back!",
            "Recommend {brand} 100%, great quality.",
            "Just got {the_product} from {brand}, so happy!",
            "Lovely find this weekend: {brand} ✨",
        ),
        "neutral": (
            "Has anyone tried {the_product} from {brand}?",
            "Spotted at {brand}: {the_product}.",
            "New at {brand}: {the_product}, watch this space.",
            "Ordered from {brand}, we'll see.",
            "Heading to the {brand} shop.",
        ),
        "negative": (
            "Really disappointed with {brand}, parcel still not here.",
            "{brand} no longer answers messages…",
            "{brand}: {the_product} really isn't worth the price.",
            "{brand} customer service is nowhere to be found.",
        ),
    },
}

RECOMMENDATION_KINDS = ("best_time", "format", "topic", "budget")
RECOMMENDATIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "fr": {
        "best_time": (
            "Publiez le {weekday} vers {hour} h sur {platform} : vos publications y obtiennent "
            "{pct} % d'engagement en plus.",
            "Votre audience {platform} est la plus active le {weekday} à {hour} h. Programmez-y "
            "vos prochaines publications.",
        ),
        "format": (
            "Les formats « {format} » obtiennent {pct} % d'engagement en plus sur {platform} : "
            "publiez-en davantage.",
            "Sur {platform}, le format « {format} » touche {pct} % de comptes en plus que votre "
            "moyenne.",
        ),
        "topic": (
            "Le thème « {topic} » génère {pct} % de commentaires en plus sur {platform}.",
            "Vos contenus « {topic} » sont les plus partagés sur {platform} ce mois-ci (+{pct} %).",
        ),
        "budget": (
            "Déplacez {amount} € de budget vers {platform} : le coût par prospect y est {pct} % "
            "plus bas.",
            "Sur {platform}, le coût par prospect a baissé de {pct} % : augmentez le budget de "
            "{amount} €.",
        ),
    },
    "en": {
        "best_time": (
            "Post on {weekday} around {hour}:00 on {platform}: your posts get {pct}% more "
            "engagement then.",
            "Your {platform} audience is most active on {weekday} at {hour}:00. Schedule your "
            "next posts then.",
        ),
        "format": (
            '"{format}" posts get {pct}% more engagement on {platform}: publish more of them.',
            'On {platform}, the "{format}" format reaches {pct}% more accounts than your average.',
        ),
        "topic": (
            'The "{topic}" pillar brings {pct}% more comments on {platform}.',
            'Your "{topic}" posts are the most shared on {platform} this month (+{pct}%).',
        ),
        "budget": (
            "Move {amount} of budget to {platform}: cost per lead is {pct}% lower there.",
            "On {platform}, cost per lead fell by {pct}%: raise the budget by {amount}.",
        ),
    },
}

WEEKDAY_NAMES = {
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
PLATFORM_LABELS = ("Facebook", "Instagram", "LinkedIn", "X", "TikTok", "YouTube")
TOPIC_LABELS = {
    "fr": ("information produit", "promotions", "contenu utile", "divertissement", "art de vivre"),
    "en": ("product information", "promotions", "useful content", "entertainment", "lifestyle"),
}

# Campaign themes: (French name, English name, day of year or -1 for any time, objective weights
# for awareness, engagement, leads, sales).
CAMPAIGN_THEMES: tuple[tuple[str, str, int, tuple[float, float, float, float]], ...] = (
    ("Soldes d'hiver", "Winter sale", 8, (0.1, 0.1, 0.1, 0.7)),
    ("Saint-Valentin", "Valentine's Day", 36, (0.1, 0.3, 0.1, 0.5)),
    ("Collection printemps", "Spring collection", 80, (0.6, 0.2, 0.1, 0.1)),
    ("Fête des mères", "Mother's Day", 140, (0.1, 0.2, 0.1, 0.6)),
    ("Soldes d'été", "Summer sale", 176, (0.1, 0.1, 0.1, 0.7)),
    ("Rentrée", "Back to school", 240, (0.4, 0.1, 0.4, 0.1)),
    ("Black Friday", "Black Friday", 324, (0.05, 0.05, 0.1, 0.8)),
    ("Noël", "Christmas", 334, (0.2, 0.3, 0.05, 0.45)),
    ("Lancement", "Launch", -1, (0.7, 0.2, 0.05, 0.05)),
    ("Jeu-concours", "Giveaway", -1, (0.2, 0.8, 0.0, 0.0)),
    ("Guide gratuit", "Free guide", -1, (0.0, 0.1, 0.9, 0.0)),
    ("Webinaire", "Webinar", -1, (0.1, 0.1, 0.8, 0.0)),
    ("Offre de bienvenue", "Welcome offer", -1, (0.1, 0.0, 0.4, 0.5)),
)
OBJECTIVES = ("awareness", "engagement", "leads", "sales")
